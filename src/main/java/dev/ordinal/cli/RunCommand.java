package dev.ordinal.cli;

import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the operator against the cluster of the current kubeconfig or in-cluster service account. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the operator against a Kubernetes cluster.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--namespaces", defaultValue = "${env:ORDINAL_WATCH_NAMESPACES:-}",
      description = "Comma-separated namespaces to watch; empty watches all (env ORDINAL_WATCH_NAMESPACES).")
  String namespaces;

  @Option(names = "--leader-election", defaultValue = "${env:ORDINAL_LEADER_ELECTION:-true}", arity = "1",
      description = "Hold a Lease before reconciling, so several replicas can run (env ORDINAL_LEADER_ELECTION).")
  boolean leaderElection;

  @Option(names = "--leader-election-namespace", defaultValue = "${env:ORDINAL_LEADER_ELECTION_NAMESPACE:-${env:POD_NAMESPACE:-}}",
      description = "Namespace of the Lease; default the pod's namespace (env ORDINAL_LEADER_ELECTION_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--leader-election-lease", defaultValue = "${env:ORDINAL_LEADER_ELECTION_LEASE:-" + OperatorConfig.DEFAULT_LEASE + "}",
      description = "Name of the Lease (env ORDINAL_LEADER_ELECTION_LEASE).")
  String leaseName;

  @Option(names = "--http-port", defaultValue = "${env:ORDINAL_HTTP_PORT:-8080}",
      description = "Port of /metrics, /healthz and /readyz (env ORDINAL_HTTP_PORT).")
  int httpPort;

  @Option(names = "--log-format", defaultValue = "${env:ORDINAL_LOG_FORMAT:-text}",
      description = "text or json (env ORDINAL_LOG_FORMAT).")
  String logFormat;

  @Option(names = "--log-level", defaultValue = "${env:ORDINAL_LOG_LEVEL:-info}",
      description = "Level of the operator's own logs (env ORDINAL_LOG_LEVEL).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    LogSettings.apply(logFormat, logLevel);
    Set<String> watched = Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    OperatorConfig config = OperatorConfig.local(watched);
    if (leaderElection) {
      config = config.withLeaderElection(leaseNamespace.isBlank() ? null : leaseNamespace, leaseName);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    OrdinalOperator operator = OrdinalOperator.create(client, config, registry, Instant::now);
    CountDownLatch stopped = new CountDownLatch(1);
    try (HttpEndpoints http = new HttpEndpoints(httpPort, registry, operator::isReady)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        log.info("SIGTERM: stopping the operator");
        operator.close();
        client.close();
        stopped.countDown();
      }, "shutdown"));
      log.info("watching {}; leader election {}; http on :{}",
          watched.isEmpty() ? "all namespaces" : watched, leaderElection ? "on (lease " + leaseName + ")" : "off", http.port());
      operator.start();
      stopped.await();
    }
    return 0;
  }

}
