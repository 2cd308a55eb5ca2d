package dev.ordinal.operator;

import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.operator.execute.KubernetesActionExecutor;
import dev.ordinal.operator.reconcile.OrdinalSetReconciler;
import dev.ordinal.operator.report.EventRecorder;
import dev.ordinal.operator.report.OperatorMetrics;
import dev.ordinal.revision.RevisionHash;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator: JOSDK configured for our needs, the reconciler and its collaborators. */
public final class OrdinalOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrdinalOperator.class);
  private final Operator operator;
  private final KubernetesActionExecutor executor;
  private final OperatorMetrics metrics;

  private OrdinalOperator(Operator operator, KubernetesActionExecutor executor, OperatorMetrics metrics) {
    this.operator = operator;
    this.executor = executor;
    this.metrics = metrics;
  }

  public static OrdinalOperator create(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Supplier<Instant> clock) {
    OperatorMetrics metrics = new OperatorMetrics(registry, clock);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(config.cacheSyncTimeout())
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          // No server-side apply anywhere: it is untestable on the mock API server (shared/deps-notes.md).
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(), config.leaseNamespace().orElse(null)));
      }
    });
    EventRecorder events = new EventRecorder(client, clock);
    KubernetesActionExecutor executor = new KubernetesActionExecutor(client, events, metrics, config.maxParallelWrites());
    OrdinalSetReconciler reconciler = new OrdinalSetReconciler(new dev.ordinal.planning.OrdinalPlanner(config.progressDeadline()), executor, events, metrics,
        new RevisionHash(client.getKubernetesSerialization()), clock);
    operator.register(reconciler, c -> {
      if (config.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.namespaces());
      }
    });
    return new OrdinalOperator(operator, executor, metrics);
  }

  public void start() {
    operator.start();
    log.info("operator started");
  }

  /** True once every informer has synced and, with leader election, this instance leads. */
  public boolean isReady() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    operator.stop();
    executor.close();
  }
}
