package dev.ordinal.operator.reconcile;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.OrdinalSetStatus;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.observe.ObservedStateBuilder;
import dev.ordinal.operator.execute.ActionExecutor;
import dev.ordinal.operator.execute.ExecutionResult;
import dev.ordinal.operator.report.EventRecorder;
import dev.ordinal.operator.report.OperatorMetrics;
import dev.ordinal.planning.EventNote;
import dev.ordinal.planning.OrdinalPlan;
import dev.ordinal.planning.OrdinalPlanner;
import dev.ordinal.revision.RevisionHash;
import dev.ordinal.revision.Revisions;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.spec.SpecValidation;
import dev.ordinal.spec.SpecValidator;
import dev.ordinal.status.StatusCalculator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue only: observe -> plan -> execute -> report. Every reconcile recomputes from the caches, so
 * it is safe to run at any time, any number of times, and after a restart.
 */
@ControllerConfiguration(name = OrdinalSetReconciler.NAME)
public final class OrdinalSetReconciler implements Reconciler<OrdinalSet> {
  public static final String NAME = "ordinalset";
  private static final Logger log = LoggerFactory.getLogger(OrdinalSetReconciler.class);
  /** While not converged, look again at least this often even if no event arrives. */
  private static final Duration POLL_WHILE_PROGRESSING = Duration.ofSeconds(10);
  private static final Duration RETRY_AFTER_FAILED_ACTIONS = Duration.ofSeconds(1);
  /** Counter-only status changes of a set are written at most this often. */
  static final Duration STATUS_COUNTS_INTERVAL = Duration.ofSeconds(1);
  private final java.util.Map<String, Long> lastStatusWrite = new java.util.concurrent.ConcurrentHashMap<>();

  private final SpecValidator validator = new SpecValidator();
  private final OrdinalPlanner planner;
  private final StatusCalculator statusCalculator = new StatusCalculator();
  private final ActionExecutor executor;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final RevisionHash revisionHash;
  private final Supplier<Instant> clock;
  private volatile ObservedStateBuilder observer;
  private volatile StorageSources storageSources;

  public OrdinalSetReconciler(OrdinalPlanner planner, ActionExecutor executor, EventRecorder events, OperatorMetrics metrics,
      RevisionHash revisionHash, Supplier<Instant> clock) {
    this.planner = planner;
    this.executor = executor;
    this.events = events;
    this.metrics = metrics;
    this.revisionHash = revisionHash;
    this.clock = clock;
  }

  /**
   * The claim, volume and StorageClass informers, for the StatefulSet storage mode to share; they
   * exist once JOSDK has registered this controller (it prepares event sources on registration).
   */
  public StorageSources storageSources() {
    StorageSources s = storageSources;
    if (s == null) {
      throw new IllegalStateException("the OrdinalSet controller is not registered yet");
    }
    return s;
  }

  @Override
  public List<EventSource<?, OrdinalSet>> prepareEventSources(EventSourceContext<OrdinalSet> context) {
    InformerClusterCache.EventSources sources = EventSourceFactory.create(context);
    this.storageSources = sources.storage();
    this.observer = new ObservedStateBuilder(new InformerClusterCache(sources), new Revisions(revisionHash));
    return List.of(sources.pods(), sources.claims(), sources.volumes(), sources.storageClasses(), sources.nodes(), sources.revisions());
  }

  @Override
  public UpdateControl<OrdinalSet> reconcile(OrdinalSet set, Context<OrdinalSet> context) {
    Instant started = Instant.now();
    Instant now = clock.get();
    OrdinalSetStatus previous = set.getStatus();
    SpecValidation validation = validator.validate(set);
    if (!validation.isValid()) {
      return refuse(set, validation, previous, now);
    }
    SetDefinition definition = validation.definition().orElseThrow();
    ObservedState state = observer.observe(definition,
        previous == null ? null : previous.getCurrentRevision(),
        previous == null || previous.getCollisionCount() == null ? 0 : previous.getCollisionCount(), now);
    OrdinalPlan plan = planner.plan(state);
    plan.events().forEach(events::record);
    ExecutionResult result = executor.execute(definition, plan.actions());
    OrdinalSetStatus status = statusCalculator.compute(state, plan, previous);
    metrics.status(definition.namespace(), definition.name(), status);
    metrics.reconciled(definition.namespace(), definition.name(), Duration.between(started, Instant.now()));
    Duration deferStatus = statusDeferral(definition.namespace() + "/" + definition.name(), status, previous);
    UpdateControl<OrdinalSet> control = deferStatus != null ? UpdateControl.noUpdate() : statusControl(set, status, previous);
    Duration next = null;
    if (previous != null && !Objects.equals(previous.getCurrentRevision(), status.getCurrentRevision())) {
      // A finished rollout changes what history may be trimmed: look again once status is written.
      next = RETRY_AFTER_FAILED_ACTIONS;
    } else if (!result.complete()) {
      next = RETRY_AFTER_FAILED_ACTIONS;
    } else if (plan.requeueAfter().isPresent()) {
      next = plan.requeueAfter().get().plusMillis(100);
    } else if (!plan.isConverged()) {
      next = POLL_WHILE_PROGRESSING;
    }
    if (deferStatus != null && (next == null || deferStatus.compareTo(next) < 0)) {
      next = deferStatus;
    }
    return next == null ? control : control.rescheduleAfter(next);
  }

  /**
   * Null when the status is to be written now; else how long to wait. A change of the counters
   * only (replicas, ready, available, current, updated, bound and pending claims) is written at
   * most once per {@link #STATUS_COUNTS_INTERVAL} per set: while a Parallel set of thousands
   * converges, every pod and claim event would otherwise cost a status write. Anything else
   * (a condition's status or reason, revisions, observedGeneration, selector) is written at once.
   */
  private Duration statusDeferral(String key, OrdinalSetStatus status, OrdinalSetStatus previous) {
    if (Objects.equals(status, previous)) {
      return null;
    }
    long now = System.nanoTime();
    Long last = lastStatusWrite.get(key);
    long elapsed = last == null ? Long.MAX_VALUE : now - last;
    if (previous != null && elapsed < STATUS_COUNTS_INTERVAL.toNanos() && onlyCountersDiffer(status, previous)) {
      return Duration.ofNanos(STATUS_COUNTS_INTERVAL.toNanos() - elapsed).plusMillis(10);
    }
    lastStatusWrite.put(key, now);
    lastStatusWrite.values().removeIf(t -> now - t > STATUS_COUNTS_INTERVAL.toNanos() * 10);
    return null;
  }

  private static boolean onlyCountersDiffer(OrdinalSetStatus a, OrdinalSetStatus b) {
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getCurrentRevision(), b.getCurrentRevision())
        && Objects.equals(a.getUpdateRevision(), b.getUpdateRevision())
        && Objects.equals(a.getCollisionCount(), b.getCollisionCount())
        && Objects.equals(a.getSelector(), b.getSelector())
        && Objects.equals(conditionStates(a), conditionStates(b));
  }

  /** Conditions without their messages, which carry counts ("3 of 5 replicas are available"). */
  private static List<String> conditionStates(OrdinalSetStatus s) {
    return s.getConditions() == null ? List.of()
        : s.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + "/" + c.getObservedGeneration()).toList();
  }

  /** An invalid spec: report it and touch nothing else. */
  private UpdateControl<OrdinalSet> refuse(OrdinalSet set, SpecValidation validation, OrdinalSetStatus previous, Instant now) {
    long generation = set.getMetadata().getGeneration() == null ? 0 : set.getMetadata().getGeneration();
    String problems = validation.summary();
    log.warn("set {}/{}: spec is invalid, changing nothing: {}", set.getMetadata().getNamespace(), set.getMetadata().getName(), problems);
    events.record(new EventNote(
        new EventNote.Involved(OrdinalSet.API_VERSION, OrdinalSet.KIND, set.getMetadata().getNamespace(), set.getMetadata().getName(), set.getMetadata().getUid()),
        EventNote.Type.Warning, EventNote.INVALID_SPEC, problems));
    return statusControl(set, statusCalculator.invalid(previous, generation, problems, now), previous);
  }

  private static UpdateControl<OrdinalSet> statusControl(OrdinalSet set, OrdinalSetStatus status, OrdinalSetStatus previous) {
    if (Objects.equals(status, previous)) {
      return UpdateControl.noUpdate();
    }
    OrdinalSet fresh = new OrdinalSet();
    fresh.setMetadata(new ObjectMetaBuilder()
        .withName(set.getMetadata().getName())
        .withNamespace(set.getMetadata().getNamespace())
        .build());
    fresh.setStatus(status);
    return UpdateControl.patchStatus(fresh);
  }

  @Override
  public ErrorStatusUpdateControl<OrdinalSet> updateErrorStatus(OrdinalSet set, Context<OrdinalSet> context, Exception e) {
    log.warn("set {}/{}: reconcile failed, will retry: {}", set.getMetadata().getNamespace(), set.getMetadata().getName(), e.toString());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
