package dev.ordinal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.OperatorHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** `run` against the mock API server found through a kubeconfig, and its SIGTERM path (graceful stop, exit code 0). */
class RuntimeRunCommandMockTest {
  @RegisterExtension
  static final OperatorHarness harness = OperatorHarness.withoutOperator();

  @TempDir
  Path dir;

  @AfterEach
  void restore() throws Exception {
    System.clearProperty("kubeconfig");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback-test.xml"));
  }

  @Test
  void runReconcilesThroughTheKubeconfigAndStopsGracefully() throws Exception {
    Cluster c = new Cluster(harness);
    Path kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s"}
        users:
        - name: tester
          user: {token: secret}
        contexts:
        - name: mock
          context: {cluster: mock, user: tester, namespace: default}
        current-context: mock
        """.formatted(harness.client().getConfiguration().getMasterUrl()));
    // fabric8's Config.autoConfigure reads the kubeconfig named by this property (or $KUBECONFIG).
    System.setProperty("kubeconfig", kubeconfig.toString());
    RunCommand run = new RunCommand(); // the production constructor: client from the kubeconfig
    CommandLine cli = new CommandLine(run);
    // A thread of its own: on a 2-core machine the common ForkJoinPool has one worker, which
    // fabric8's informer start needs while call() blocks.
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread main = new Thread(() -> exit.complete(cli.execute("--namespaces", c.ns(),
        "--leader-election", "false", "--http-port", "0", "--log-level", "warn")), "run-command");
    main.start();
    await().atMost(Cluster.TIMEOUT).until(run::isRunning);
    HttpClient http = HttpClient.newHttpClient();
    URI readyz = URI.create("http://localhost:" + run.boundHttpPort() + "/readyz");
    assertThat(http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

    c.createPv("pv-a", "1Gi");
    c.create(c.web(1));
    c.awaitReady("web-0");

    run.stop(); // what the shutdown hook runs on SIGTERM
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(exit).isCompleted();
    // The operator no longer reconciles: a scale-up stays undone.
    c.scale("web", 2);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> c.pod("web-1") == null);
    // The endpoints are closed too.
    boolean answered;
    try {
      http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      answered = true;
    } catch (java.io.IOException refused) {
      answered = false;
    }
    assertThat(answered).as("/readyz answers after stop").isFalse();
    run.stop(); // idempotent, as when the hook runs after an earlier stop
  }
}
