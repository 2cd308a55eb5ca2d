package dev.ordinal.operator;

import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.operator.execute.KubernetesActionExecutor;
import dev.ordinal.operator.reconcile.OrdinalSetReconciler;
import dev.ordinal.operator.report.EventRecorder;
import dev.ordinal.operator.report.OperatorMetrics;
import dev.ordinal.revision.RevisionHash;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
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
  private final Leadership leadership;

  private OrdinalOperator(Operator operator, KubernetesActionExecutor executor, OperatorMetrics metrics, Leadership leadership) {
    this.operator = operator;
    this.executor = executor;
    this.metrics = metrics;
    this.leadership = leadership;
  }

  public static OrdinalOperator create(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Supplier<Instant> clock) {
    OperatorMetrics metrics = new OperatorMetrics(registry, clock);
    Leadership leadership = new Leadership(config.leaderElection());
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
        // exitOnStopLeading=false: JOSDK would otherwise System.exit(1) also when we release the
        // Lease on purpose in close() (SIGTERM, tests). Leadership.stopped() exits on a real loss.
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(), config.leaseNamespace().orElse(null),
            config.leaseDuration(), config.renewDeadline(), config.retryPeriod(), null,
            new LeaderCallbacks(leadership::started, leadership::stopped, leadership::observed), false));
      }
    });
    EventRecorder events = new EventRecorder(client, clock);
    KubernetesActionExecutor executor = new KubernetesActionExecutor(client, events, metrics, config.maxParallelWrites());
    OrdinalSetReconciler reconciler = new OrdinalSetReconciler(new dev.ordinal.planning.OrdinalPlanner(config.progressDeadline()), executor, events, metrics,
        new RevisionHash(), clock);
    operator.register(reconciler, c -> {
      if (config.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.namespaces());
      }
    });
    return new OrdinalOperator(operator, executor, metrics, leadership);
  }

  public void start() {
    operator.start();
    log.info("operator started");
  }

  /**
   * True once started and every informer has synced. With leader election a standby is ready too:
   * its informers run, only its event processing waits for the Lease (see {@link #isLeader()}).
   */
  public boolean isReady() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  /** True while this instance reconciles: always without leader election, else while it holds the Lease. */
  public boolean isLeader() {
    return leadership.leading();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    leadership.closing = true;
    operator.stop();
    executor.close();
  }

  /** Tracks whether this instance leads; losing the Lease without being closed ends the process. */
  private static final class Leadership {
    private final boolean elected;
    private volatile boolean leading;
    volatile boolean closing;

    Leadership(boolean elected) {
      this.elected = elected;
    }

    boolean leading() {
      return !elected || leading;
    }

    void started() {
      leading = true;
      log.info("leading: reconciling from now on");
    }

    void stopped() {
      boolean was = leading;
      leading = false;
      if (closing) {
        log.info("released the lease while stopping");
      } else if (was) {
        // Another instance may already reconcile; JOSDK cannot stop our event processing safely.
        log.error("lost the lease without being stopped: exiting so that only one instance reconciles");
        System.exit(1);
      }
    }

    void observed(String leader) {
      log.info("leader is now {}", leader);
    }
  }
}
