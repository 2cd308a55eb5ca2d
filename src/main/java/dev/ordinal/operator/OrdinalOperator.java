package dev.ordinal.operator;

import dev.ordinal.operator.cache.CacheTrim;
import dev.ordinal.operator.cache.ManagedFieldsDroppingStore;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.operator.execute.KubernetesActionExecutor;
import dev.ordinal.operator.reconcile.OrdinalSetReconciler;
import dev.ordinal.operator.statefulset.StatefulSetStorageReconciler;
import dev.ordinal.operator.report.EventRecorder;
import dev.ordinal.operator.report.OperatorMetrics;
import dev.ordinal.revision.RevisionHash;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import dev.ordinal.operator.health.InformerHealth;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator: JOSDK configured for our needs, the reconciler and its collaborators. */
public final class OrdinalOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrdinalOperator.class);
  /** First retry of a failed reconcile after this long, doubling up to {@link #RETRY_MAX_INTERVAL}. */
  public static final Duration RETRY_INITIAL_INTERVAL = Duration.ofSeconds(1);
  /** A failing set is retried at least this often, for as long as it fails. */
  public static final Duration RETRY_MAX_INTERVAL = Duration.ofSeconds(30);
  /** Every set, converged or not, is reconciled at least this often even without events. */
  public static final Duration MAX_RECONCILIATION_INTERVAL = Duration.ofMinutes(5);
  private final Operator operator;
  private final KubernetesActionExecutor executor;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Leadership leadership;
  private final InformerHealth health;
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "informer-watchdog");
    t.setDaemon(true);
    return t;
  });
  private volatile String lastHealth;

  private OrdinalOperator(Operator operator, KubernetesActionExecutor executor, EventRecorder events, OperatorMetrics metrics,
      Leadership leadership, Supplier<Instant> clock, Duration watchStallLimit) {
    this.operator = operator;
    this.executor = executor;
    this.events = events;
    this.metrics = metrics;
    this.leadership = leadership;
    this.health = new InformerHealth(() -> operator.getRuntimeInfo().isStarted(), this::informers, clock, watchStallLimit);
  }

  public static OrdinalOperator create(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Supplier<Instant> clock) {
    return create(client, config, registry, clock, OrdinalOperator::exitAfterLostLease);
  }

  /**
   * As {@link #create(KubernetesClient, OperatorConfig, MeterRegistry, Supplier)}, with what to do
   * when the Lease is lost without {@link #close()} (the process exits; tests record it instead).
   */
  public static OrdinalOperator create(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Supplier<Instant> clock,
      Runnable onLeaseLost) {
    OperatorMetrics metrics = new OperatorMetrics(registry, clock);
    Leadership leadership = new Leadership(config.leaderElection(), onLeaseLost);
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
      watch(c, config);
    });
    if (config.statefulSetStorage()) {
      // Registered after the OrdinalSet controller, whose claim, volume and StorageClass informers it shares.
      operator.register(new StatefulSetStorageReconciler(executor, events, metrics, clock, reconciler::storageSources), c -> {
        watch(c, config);
        c.withLabelSelector(StatefulSetStorageReconciler.LABEL_SELECTOR);
        // Not generation-aware: a label or annotation (volume-reuse) change counts; the StatefulSet
        // controller's status writes do not.
        c.withGenerationAware(false);
        c.withOnUpdateFilter(StatefulSetStorageReconciler::worthReconciling);
      });
    }
    return new OrdinalOperator(operator, executor, events, metrics, leadership, clock, InformerHealth.DEFAULT_WATCH_STALL_LIMIT);
  }

  /** Where and how often a controller looks, the same for both kinds of set. */
  private static <R extends HasMetadata> void watch(ControllerConfigurationOverrider<R> c, OperatorConfig config) {
    if (config.namespaces().isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(config.namespaces());
    }
    // The sets themselves are cached without managedFields too, where one informer watches them.
    c.withItemStore(CacheTrim.forNamespaces(config.namespaces().isEmpty() ? Constants.WATCH_ALL_NAMESPACE_SET : config.namespaces())
        .<R>newStore());
    // JOSDK's default retry gives up after 5 attempts (about 26 s) and then waits for the next
    // event or the max interval: after an API-server outage a set could idle, unconverged, until
    // its spec changed (issue 14). Retry without a limit, backing off to at most RETRY_MAX_INTERVAL.
    c.withRetry(failureRetry());
    // A safety net for everything else (a missed event, a converged set whose world changed
    // unnoticed): every set is re-planned from the caches at least this often.
    c.withReconciliationMaxInterval(MAX_RECONCILIATION_INTERVAL);
  }

  public void start() {
    operator.start();
    log.info("operator started");
    watchdog.scheduleWithFixedDelay(this::logHealthChanges, 5, 5, TimeUnit.SECONDS);
  }

  /** Logs when informers stop watching, stall or recover, so the log explains a failing probe. */
  private void logHealthChanges() {
    try {
      InformerHealth.Verdict v = health.check();
      String now = v.describe();
      if (!now.equals(lastHealth)) {
        if (!v.live()) {
          log.error("not live, the liveness probe fails: {}", now);
        } else if (!v.ready()) {
          log.warn("informers: {}", now);
        } else if (lastHealth != null) {
          log.info("informers: all watching again");
        }
        lastHealth = now;
      }
    } catch (RuntimeException e) {
      log.debug("health check failed", e);
    }
  }

  /**
   * False once an informer has stopped for good or has gone without a watch for longer than
   * {@link InformerHealth#DEFAULT_WATCH_STALL_LIMIT}: the chart's liveness probe (/livez) then
   * lets the kubelet restart the pod. True before start (the startup probe covers start).
   */
  public boolean isLive() {
    return health.check().live();
  }

  /**
   * True once started and every informer has synced and is watching (JOSDK's informer health):
   * false while the API server is away, for instance. With leader election a standby is ready too:
   * its informers run, only its event processing waits for the Lease (see {@link #isLeader()}).
   */
  public boolean isReady() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  /** Readiness and liveness from the informers (see {@link InformerHealth}). */
  public InformerHealth.Verdict health() {
    return health.check();
  }

  /** The configuration JOSDK runs the OrdinalSet controller with (tests check retry and intervals). */
  public io.javaoperatorsdk.operator.api.config.ControllerConfiguration<?> controllerConfiguration() {
    return operator.getRuntimeInfo().getRegisteredControllers().stream()
        .filter(c -> OrdinalSetReconciler.NAME.equals(c.getConfiguration().getName()))
        .findFirst().orElseThrow().getConfiguration();
  }

  /** Every informer of every controller, as JOSDK reports its health. */
  public List<InformerHealth.Informer> informers() {
    List<InformerHealth.Informer> out = new ArrayList<>();
    for (RegisteredController<?> controller : operator.getRuntimeInfo().getRegisteredControllers()) {
      Map<String, InformerWrappingEventSourceHealthIndicator> sources =
          controller.getControllerHealthInfo().informerEventSourceHealthIndicators();
      for (Map.Entry<String, InformerWrappingEventSourceHealthIndicator> source : sources.entrySet()) {
        Map<String, InformerHealthIndicator> byNamespace;
        try {
          byNamespace = source.getValue().informerHealthIndicators();
        } catch (RuntimeException notStarted) {
          // JOSDK has no informers behind a source whose start failed: it is not watching.
          out.add(new InformerHealth.Informer(controller.getConfiguration().getName() + "/" + source.getKey(), false, false, false));
          continue;
        }
        for (Map.Entry<String, InformerHealthIndicator> e : byNamespace.entrySet()) {
          String ns = e.getKey();
          InformerHealthIndicator informer = e.getValue();
          out.add(new InformerHealth.Informer(controller.getConfiguration().getName() + "/" + source.getKey()
              + (ns == null || ns.isEmpty() || ns.equals("JOSDK_ALL_NAMESPACES") ? "" : "@" + ns),
              informer.isRunning(), informer.hasSynced(), informer.isWatching()));
        }
      }
    }
    return out;
  }

  /**
   * What every informer of every controller caches now, the sets themselves included, by
   * "controller/source" (tests and diagnostics: copies every cached reference into a list).
   */
  public List<CachedSource> cachedSources() {
    List<CachedSource> out = new ArrayList<>();
    for (RegisteredController<?> registered : operator.getRuntimeInfo().getRegisteredControllers()) {
      if (!(registered instanceof Controller<?> controller)) {
        continue;
      }
      for (Object source : controller.getEventSourceManager().allEventSources()) {
        if (source instanceof ManagedInformerEventSource<?, ?, ?> informer) {
          List<HasMetadata> objects = informer.list(o -> true).<HasMetadata>map(HasMetadata.class::cast).toList();
          boolean drops = informer.configuration().getInformerConfig().getItemStore() instanceof ManagedFieldsDroppingStore;
          out.add(new CachedSource(controller.getConfiguration().getName() + "/" + informer.name(), objects, drops));
        }
      }
    }
    return out;
  }

  /** One event source's cache: its objects, and whether it stores them without managedFields. */
  public record CachedSource(String name, List<HasMetadata> objects, boolean dropsManagedFields) {}

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
    watchdog.shutdownNow();
    operator.stop();
    executor.close();
    events.close();
  }

  /** Retries a failed reconcile without a limit: 1 s, 2 s, 4 s, ... then every 30 s. */
  public static GenericRetry failureRetry() {
    return new GenericRetry().withoutMaxAttempts()
        .setInitialInterval(RETRY_INITIAL_INTERVAL)
        .setIntervalMultiplier(2)
        .setMaxInterval(RETRY_MAX_INTERVAL.toMillis());
  }

  private static void exitAfterLostLease() {
    System.exit(1);
  }

  /** Tracks whether this instance leads; losing the Lease without being closed ends the process. */
  private static final class Leadership {
    private final boolean elected;
    private final Runnable onLost;
    private volatile boolean leading;
    volatile boolean closing;

    Leadership(boolean elected, Runnable onLost) {
      this.elected = elected;
      this.onLost = onLost;
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
        onLost.run();
      }
    }

    void observed(String leader) {
      log.info("leader is now {}", leader);
    }
  }
}
