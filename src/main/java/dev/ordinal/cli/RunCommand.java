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
import java.util.function.Supplier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the operator against the cluster of the current kubeconfig or in-cluster service account. */
@Command(name = "run", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Run the operator against a Kubernetes cluster.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--namespaces", defaultValue = "${env:ORDINAL_WATCH_NAMESPACES:-}",
      description = "Comma-separated namespaces to watch; empty watches all (env ORDINAL_WATCH_NAMESPACES).")
  String namespaces;

  @Option(names = "--leader-election", defaultValue = "${env:ORDINAL_LEADER_ELECTION:-true}", arity = "1",
      showDefaultValue = CommandLine.Help.Visibility.ALWAYS, description = "Hold a Lease before reconciling, so several replicas can run (env ORDINAL_LEADER_ELECTION).")
  boolean leaderElection;

  @Option(names = "--leader-election-namespace", defaultValue = "${env:ORDINAL_LEADER_ELECTION_NAMESPACE:-${env:POD_NAMESPACE:-}}",
      description = "Namespace of the Lease; default the pod's namespace (env ORDINAL_LEADER_ELECTION_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--leader-election-lease", defaultValue = "${env:ORDINAL_LEADER_ELECTION_LEASE:-" + OperatorConfig.DEFAULT_LEASE + "}",
      description = "Name of the Lease (env ORDINAL_LEADER_ELECTION_LEASE).")
  String leaseName;

  @Option(names = "--http-port", defaultValue = "${env:ORDINAL_HTTP_PORT:-8080}",
      description = "Port of /metrics, /healthz, /livez and /readyz (env ORDINAL_HTTP_PORT).")
  int httpPort;

  @Option(names = "--log-format", defaultValue = "${env:ORDINAL_LOG_FORMAT:-text}",
      description = "text or json (env ORDINAL_LOG_FORMAT).")
  String logFormat;

  @Option(names = "--log-level", defaultValue = "${env:ORDINAL_LOG_LEVEL:-info}",
      description = "Level of the operator's own logs (env ORDINAL_LOG_LEVEL).")
  String logLevel;

  @Option(names = "--statefulset-storage", defaultValue = "${env:ORDINAL_STATEFULSET_STORAGE:-true}", arity = "1",
      showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
      description = "Manage the storage of apps/v1 StatefulSets labelled ordinal.dev/storage=managed (env ORDINAL_STATEFULSET_STORAGE).")
  boolean statefulSetStorage;

  private final Supplier<KubernetesClient> clients;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile OrdinalOperator operator;
  private volatile KubernetesClient client;
  private volatile HttpEndpoints http;

  /** The client of the current kubeconfig ($KUBECONFIG, ~/.kube/config) or of the in-cluster service account. */
  public RunCommand() {
    this(() -> new KubernetesClientBuilder().build());
  }

  RunCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() throws Exception {
    LogSettings.apply(logFormat, logLevel);
    Set<String> watched = watchedNamespaces();
    OperatorConfig config = operatorConfig();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Thread hook = new Thread(() -> {
      log.info("SIGTERM: stopping the operator");
      stop();
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      client = clients.get();
      operator = OrdinalOperator.create(client, config, registry, Instant::now);
      OrdinalOperator o = operator;
      http = new HttpEndpoints(httpPort, registry,
          () -> HttpEndpoints.Probe.of(o.isReady(), "not ready: " + o.health().describe()),
          () -> HttpEndpoints.Probe.of(o.isLive(), "not live: " + o.health().describe()));
      log.info("watching {}; leader election {}; http on :{}",
          watched.isEmpty() ? "all namespaces" : watched, leaderElection ? "on (lease " + leaseName + ")" : "off", http.port());
      if (!stopping.get()) {
        operator.start();
      }
      stopped.await();
    } finally {
      stop();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: nothing to remove
      }
    }
    return 0;
  }

  /**
   * The SIGTERM path, callable directly: stops reconciling (JOSDK {@code Operator.stop}, which also
   * releases the Lease), closes the HTTP endpoints and the client, and lets {@link #call()} return 0.
   * Idempotent and safe before or during start.
   */
  public void stop() {
    if (stopping.compareAndSet(false, true)) {
      try {
        if (operator != null) {
          operator.close();
        }
      } catch (RuntimeException e) {
        log.warn("error while stopping the operator", e);
      } finally {
        if (http != null) {
          http.close();
        }
        if (client != null) {
          client.close();
        }
        stopped.countDown();
        log.info("stopped");
      }
    }
  }

  /** The port the HTTP endpoints listen on, once {@link #call()} has opened them (tests use port 0). */
  int boundHttpPort() {
    HttpEndpoints h = http;
    return h == null ? -1 : h.port();
  }

  boolean isRunning() {
    OrdinalOperator o = operator;
    return o != null && !stopping.get() && o.isReady();
  }

  Set<String> watchedNamespaces() {
    return Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  OperatorConfig operatorConfig() {
    OperatorConfig config = OperatorConfig.local(watchedNamespaces()).withStatefulSetStorage(statefulSetStorage);
    if (leaderElection) {
      config = config.withLeaderElection(leaseNamespace.isBlank() ? null : leaseNamespace, leaseName);
    }
    return config;
  }
}
