package dev.ordinal.operator.statefulset;

import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.observe.ObservedStateBuilder;
import dev.ordinal.operator.execute.ActionExecutor;
import dev.ordinal.operator.execute.ExecutionResult;
import dev.ordinal.operator.report.EventRecorder;
import dev.ordinal.operator.reconcile.StorageSources;
import dev.ordinal.operator.report.OperatorMetrics;
import dev.ordinal.planning.EventNote;
import dev.ordinal.planning.OrdinalPlan;
import dev.ordinal.planning.StatefulSetStoragePlanner;
import dev.ordinal.revision.RevisionHash;
import dev.ordinal.revision.Revisions;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.spec.SetKind;
import dev.ordinal.spec.SpecValidation;
import dev.ordinal.spec.StatefulSetDefinitions;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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
 * Storage mode, glue only: observe -> plan -> execute -> report for apps/v1 StatefulSets labelled
 * {@code ordinal.dev/storage: managed}. It never writes the StatefulSet (no status, no finalizer:
 * the set is not ours) and never touches a pod; what it has to say goes to Events and metrics.
 */
@ControllerConfiguration(name = StatefulSetStorageReconciler.NAME)
public final class StatefulSetStorageReconciler implements Reconciler<StatefulSet> {
  public static final String NAME = "statefulset-storage";
  /** The primary informer's selector: only labelled sets are listed, watched or reconciled. */
  public static final String LABEL_SELECTOR = StatefulSetDefinitions.STORAGE_LABEL + "=" + StatefulSetDefinitions.STORAGE_MANAGED;
  private static final Logger log = LoggerFactory.getLogger(StatefulSetStorageReconciler.class);
  private static final Duration POLL_WHILE_PROGRESSING = Duration.ofSeconds(10);
  private static final Duration RETRY_AFTER_FAILED_ACTIONS = Duration.ofSeconds(1);

  private final StatefulSetDefinitions definitions = new StatefulSetDefinitions();
  private final StatefulSetStoragePlanner planner = new StatefulSetStoragePlanner();
  private final Supplier<StorageSources> storageSources;
  private final ActionExecutor executor;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Supplier<Instant> clock;
  private volatile ObservedStateBuilder observer;
  private volatile StatefulSetEventSources sources;

  /**
   * {@code storageSources}: the OrdinalSet controller's claim, volume and StorageClass informers,
   * which this controller reads instead of keeping its own (asked for when JOSDK registers it).
   */
  public StatefulSetStorageReconciler(ActionExecutor executor, EventRecorder events, OperatorMetrics metrics, Supplier<Instant> clock,
      Supplier<StorageSources> storageSources) {
    this.storageSources = storageSources;
    this.executor = executor;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Status writes of the StatefulSet controller change nothing we read: only spec, labels and annotations wake us. */
  public static boolean worthReconciling(StatefulSet now, StatefulSet before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || !Objects.equals(now.getMetadata().getAnnotations(), before.getMetadata().getAnnotations());
  }

  @Override
  public List<EventSource<?, StatefulSet>> prepareEventSources(EventSourceContext<StatefulSet> context) {
    StatefulSetEventSources sources = new StatefulSetEventSources(storageSources.get(), context);
    this.sources = sources;
    this.observer = new ObservedStateBuilder(new StatefulSetClusterCache(sources), new Revisions(new RevisionHash()));
    return List.of(sources);
  }

  @Override
  public UpdateControl<StatefulSet> reconcile(StatefulSet statefulSet, Context<StatefulSet> context) {
    Instant started = Instant.now();
    String namespace = statefulSet.getMetadata().getNamespace();
    String name = statefulSet.getMetadata().getName();
    if (!StatefulSetDefinitions.isManaged(statefulSet)) {
      return UpdateControl.noUpdate();
    }
    SpecValidation validation = definitions.read(statefulSet);
    if (!validation.isValid()) {
      log.warn("statefulset {}/{}: cannot manage its storage, changing nothing: {}", namespace, name, validation.summary());
      events.record(new EventNote(new EventNote.Involved(SetKind.STATEFUL_SET.apiVersion(), SetKind.STATEFUL_SET.kind(), namespace, name,
          statefulSet.getMetadata().getUid()), EventNote.Type.Warning, EventNote.INVALID_SPEC,
          "storage mode changes nothing for this set: " + validation.summary()));
      return UpdateControl.noUpdate();
    }
    SetDefinition set = validation.definition().orElseThrow();
    if (!sources.shared().started()) {
      // The shared informers belong to the other controller and may start after this one: an
      // empty cache would look like a set without claims and volumes.
      return UpdateControl.<StatefulSet>noUpdate().rescheduleAfter(RETRY_AFTER_FAILED_ACTIONS);
    }
    ObservedState state = observer.observe(set, null, 0, clock.get());
    OrdinalPlan plan = planner.plan(state);
    plan.events().forEach(events::record);
    ExecutionResult result = executor.execute(set, plan.actions());
    report(set, state, plan);
    metrics.reconciled(namespace, name, Duration.between(started, Instant.now()));
    if (!result.complete()) {
      return UpdateControl.<StatefulSet>noUpdate().rescheduleAfter(RETRY_AFTER_FAILED_ACTIONS);
    }
    if (!plan.isConverged()) {
      return UpdateControl.<StatefulSet>noUpdate().rescheduleAfter(POLL_WHILE_PROGRESSING);
    }
    return UpdateControl.noUpdate();
  }

  private void report(SetDefinition set, ObservedState state, OrdinalPlan plan) {
    int bound = 0;
    int pending = 0;
    for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
      for (String template : set.claimTemplateNames()) {
        PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
        if (claim != null && claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
          bound++;
        } else {
          pending++;
        }
      }
    }
    int resizing = (int) plan.claimProgress().stream().filter(p -> !"Refused".equals(p.getState())).count();
    metrics.statefulSetStorage(set.namespace(), set.name(), bound, pending, resizing);
  }
}
