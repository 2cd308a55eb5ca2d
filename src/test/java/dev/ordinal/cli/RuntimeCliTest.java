package dev.ordinal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordinal.operator.config.OperatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `run` parses flags and environment as docs/configuration.md and the chart's values say. */
class RuntimeCliTest {
  /** Flag, environment variable and documented default, in the order docs/configuration.md lists them. */
  static final List<List<String>> FLAGS = List.of(
      List.of("--namespaces", "ORDINAL_WATCH_NAMESPACES", ""),
      List.of("--leader-election", "ORDINAL_LEADER_ELECTION", "true"),
      List.of("--leader-election-namespace", "ORDINAL_LEADER_ELECTION_NAMESPACE", ""),
      List.of("--leader-election-lease", "ORDINAL_LEADER_ELECTION_LEASE", OperatorConfig.DEFAULT_LEASE),
      List.of("--http-port", "ORDINAL_HTTP_PORT", "8080"),
      List.of("--log-format", "ORDINAL_LOG_FORMAT", "text"),
      List.of("--log-level", "ORDINAL_LOG_LEVEL", "info"),
      List.of("--statefulset-storage", "ORDINAL_STATEFULSET_STORAGE", "true"));

  @Test
  void helpListsEveryFlagWithItsEnvironmentVariable() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    int code = cli.execute("run", "--help");
    String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    assertThat(code).isZero();
    for (List<String> flag : FLAGS) {
      assertThat(help).contains(flag.get(0)).contains("env " + flag.get(1));
    }
    assertThat(cli.getSubcommands().get("run").getCommandSpec().options().stream()
        .filter(o -> !o.usageHelp() && !o.versionHelp()).map(o -> o.longestName()))
        .as("every flag of run is documented here").containsExactlyInAnyOrderElementsOf(FLAGS.stream().map(f -> f.get(0)).toList());
  }

  @Test
  void defaultsAreTheDocumentedOnesWhenNoEnvironmentIsSet() {
    for (List<String> flag : FLAGS) {
      assumeTrue(System.getenv(flag.get(1)) == null, flag.get(1) + " is set in this environment");
    }
    assumeTrue(System.getenv("POD_NAMESPACE") == null);
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs();
    assertThat(run.namespaces).isEmpty();
    assertThat(run.leaderElection).isTrue();
    assertThat(run.leaseNamespace).isEmpty();
    assertThat(run.leaseName).isEqualTo("ordinal-operator-leader");
    assertThat(run.httpPort).isEqualTo(8080);
    assertThat(run.logFormat).isEqualTo("text");
    assertThat(run.logLevel).isEqualTo("info");
    OperatorConfig config = run.operatorConfig();
    assertThat(config.namespaces()).isEmpty();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).isEmpty();
    assertThat(config.leaseName()).isEqualTo(OperatorConfig.DEFAULT_LEASE);
    assertThat(config.statefulSetStorage()).as("the StatefulSet storage mode is on by default").isTrue();
  }

  @Test
  void statefulSetStorageModeCanBeTurnedOff() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("--statefulset-storage", "false");

    assertThat(run.operatorConfig().statefulSetStorage()).isFalse();
  }

  @Test
  void flagsOverrideDefaults() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("--namespaces", " a, b ,,", "--leader-election", "false", "--leader-election-namespace", "ops",
        "--leader-election-lease", "l", "--http-port", "9090", "--log-format", "json", "--log-level", "debug");
    assertThat(run.watchedNamespaces()).isEqualTo(Set.of("a", "b"));
    assertThat(run.httpPort).isEqualTo(9090);
    assertThat(run.logFormat).isEqualTo("json");
    assertThat(run.logLevel).isEqualTo("debug");
    assertThat(run.operatorConfig().leaderElection()).isFalse();
    new CommandLine(run).parseArgs("--leader-election-namespace", "ops", "--leader-election-lease", "l");
    assertThat(run.operatorConfig().leaseNamespace()).isEqualTo(Optional.of("ops"));
    assertThat(run.operatorConfig().leaseName()).isEqualTo("l");
  }

  /** The environment can only be set for a new process: `run --help` shows the defaults it resolved. */
  @Test
  void environmentVariablesBecomeTheDefaults() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--help");
    Map<String, String> env = pb.environment();
    env.put("ORDINAL_WATCH_NAMESPACES", "team-a,team-b");
    env.put("ORDINAL_LEADER_ELECTION", "false");
    env.put("ORDINAL_LEADER_ELECTION_NAMESPACE", "ops");
    env.put("ORDINAL_LEADER_ELECTION_LEASE", "my-lease");
    env.put("ORDINAL_HTTP_PORT", "9191");
    env.put("ORDINAL_LOG_FORMAT", "json");
    env.put("ORDINAL_LOG_LEVEL", "debug");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(help).isZero();
    String flat = help.replaceAll("\\s+", " ");
    assertThat(flat).contains("Default: team-a,team-b").contains("Default: false").contains("Default: ops")
        .contains("Default: my-lease").contains("Default: 9191").contains("Default: json").contains("Default: debug");
  }
}
