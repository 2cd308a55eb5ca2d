package dev.ordinal.cli;

import dev.ordinal.sandbox.Demo;
import dev.ordinal.sandbox.Sandbox;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the tutorials' walkthrough in a sandbox of its own and checks each step; exit code 0 when all held. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs the StatefulSet tutorial walkthrough in a sandbox of its own (real control plane or mock, as for sandbox) and checks each step.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--log-level", defaultValue = "warn", description = "Level of the operator's own logs (default ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--backend", defaultValue = "auto",
      description = "real, mock, or auto: the real control plane when its binaries are found, else the mock (default ${DEFAULT-VALUE}).")
  String backend;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LogSettings.apply("text", logLevel);
    LogSettings.quietenUnstableVersionWarning();
    LogSettings.quietenKubeApiTestProcessLogs();
    Sandbox.Backend requested;
    try {
      requested = Sandbox.Backend.parse(backend);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("demo: " + e.getMessage());
      return 2;
    }
    Optional<Sandbox.Backend> chosen = SandboxCommand.chooseBackend(requested, spec.commandLine().getErr(), System.out, "demo");
    if (chosen.isEmpty()) {
      return 2;
    }
    return Demo.runInOwnSandbox(System.out, chosen.get());
  }
}
