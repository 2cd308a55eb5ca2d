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

  private final SpecValidator validator = new SpecValidator();
  private final OrdinalPlanner planner;
  private final StatusCalculator statusCalculator = new StatusCalculator();
  private final ActionExecutor executor;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final RevisionHash revisionHash;
  private final Supplier<Instant> clock;
  private volatile ObservedStateBuilder observer;

  public OrdinalSetReconciler(OrdinalPlanner planner, ActionExecutor executor, EventRecorder events, OperatorMetrics metrics,
      RevisionHash revisionHash, Supplier<Instant> clock) {
    this.planner = planner;
    this.executor = executor;
    this.events = events;
    this.metrics = metrics;
    this.revisionHash = revisionHash;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, OrdinalSet>> prepareEventSources(EventSourceContext<OrdinalSet> context) {
    InformerClusterCache.EventSources sources = EventSourceFactory.create(context);
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
    UpdateControl<OrdinalSet> control = statusControl(set, status, previous);
    if (!result.complete()) {
      return control.rescheduleAfter(RETRY_AFTER_FAILED_ACTIONS);
    }
    if (plan.requeueAfter().isPresent()) {
      return control.rescheduleAfter(plan.requeueAfter().get().plusMillis(100));
    }
    if (!plan.isConverged()) {
      return control.rescheduleAfter(POLL_WHILE_PROGRESSING);
    }
    return control;
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
