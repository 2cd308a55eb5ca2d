package dev.ordinal.status;

import dev.ordinal.api.v1alpha1.OrdinalSetStatus;
import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.planning.OrdinalPlan;
import dev.ordinal.planning.PodReadiness;
import dev.ordinal.planning.RollingUpdatePolicy;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Computes the status a set should show from what was observed and planned. Pure. */
public final class StatusCalculator {
  private static final int MAX_MESSAGE_ITEMS = 3;

  public OrdinalSetStatus compute(ObservedState state, OrdinalPlan plan, OrdinalSetStatus previous) {
    SetDefinition set = state.set();
    Instant now = state.now();
    OrdinalSetStatus s = new OrdinalSetStatus();
    s.setObservedGeneration(set.generation());
    int replicas = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    int current = 0;
    for (Pod pod : state.pods().values()) {
      replicas++;
      if (PodReadiness.isRunningAndReady(pod)) {
        ready++;
      }
      if (PodReadiness.isRunningAndAvailable(pod, set.minReadySeconds(), now)) {
        available++;
      }
      String revision = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Labels.REVISION_HASH);
      if (state.updateRevision().equals(revision)) {
        updated++;
      }
      if (state.currentRevision().equals(revision)) {
        current++;
      }
    }
    boolean rolloutComplete = rolloutComplete(state);
    s.setReplicas(replicas);
    s.setReadyReplicas(ready);
    s.setAvailableReplicas(available);
    s.setUpdatedReplicas(updated);
    s.setCurrentReplicas(rolloutComplete ? updated : current);
    s.setCurrentRevision(rolloutComplete ? state.updateRevision() : state.currentRevision());
    s.setUpdateRevision(state.updateRevision());
    s.setCollisionCount(state.revisions().collisionCount());
    s.setSelector(SelectorStrings.format(set.selector()));
    int bound = 0;
    int pending = 0;
    for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
      for (String template : set.claimTemplateNames()) {
        PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
        if (claim == null) {
          continue;
        }
        if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
          bound++;
        } else {
          pending++;
        }
      }
    }
    s.setBoundClaims(bound);
    s.setPendingClaims(pending);
    List<Condition> conditions = new ArrayList<>();
    long gen = set.generation();
    conditions.add(Conditions.of(Conditions.SPEC_VALID, true, "Valid", "the spec is valid", gen, now));
    int desired = set.replicas();
    conditions.add(available >= desired && ready >= desired
        ? Conditions.of(Conditions.AVAILABLE, true, "AllReplicasAvailable", available + " of " + desired + " replicas are available", gen, now)
        : Conditions.of(Conditions.AVAILABLE, false, "ReplicasUnavailable", available + " of " + desired + " replicas are available", gen, now));
    if (plan.stuck().isPresent()) {
      conditions.add(Conditions.of(Conditions.PROGRESSING, false, "Blocked", plan.stuck().get(), gen, now));
    } else if (plan.isConverged()) {
      conditions.add(Conditions.of(Conditions.PROGRESSING, true, "Complete", "all " + desired + " replicas are up to date and available", gen, now));
    } else {
      conditions.add(Conditions.of(Conditions.PROGRESSING, true, "Progressing", summarize(plan.waits()), gen, now));
    }
    if (!plan.storageProblems().isEmpty()) {
      conditions.add(Conditions.of(Conditions.STORAGE_BOUND, false, "ClaimsUnbindable", summarize(plan.storageProblems()), gen, now));
    } else if (pending > 0) {
      conditions.add(Conditions.of(Conditions.STORAGE_BOUND, false, "ClaimsPending", pending + " claims are not Bound yet", gen, now));
    } else {
      conditions.add(Conditions.of(Conditions.STORAGE_BOUND, true, "AllClaimsBound", bound + " claims are Bound", gen, now));
    }
    s.setConditions(Conditions.carryTransitionTimes(previous == null ? null : previous.getConditions(), conditions));
    return s;
  }

  /** Status for a spec the operator refuses to act on: counters as observed, SpecValid=False. */
  public OrdinalSetStatus invalid(OrdinalSetStatus previous, long generation, String problems, Instant now) {
    OrdinalSetStatus s = new OrdinalSetStatus();
    if (previous != null) {
      s.setReplicas(previous.getReplicas());
      s.setReadyReplicas(previous.getReadyReplicas());
      s.setAvailableReplicas(previous.getAvailableReplicas());
      s.setCurrentReplicas(previous.getCurrentReplicas());
      s.setUpdatedReplicas(previous.getUpdatedReplicas());
      s.setCurrentRevision(previous.getCurrentRevision());
      s.setUpdateRevision(previous.getUpdateRevision());
      s.setCollisionCount(previous.getCollisionCount());
      s.setSelector(previous.getSelector());
      s.setBoundClaims(previous.getBoundClaims());
      s.setPendingClaims(previous.getPendingClaims());
    }
    s.setObservedGeneration(generation);
    List<Condition> conditions = new ArrayList<>();
    if (previous != null && previous.getConditions() != null) {
      previous.getConditions().stream().filter(c -> !Conditions.SPEC_VALID.equals(c.getType())
          && !Conditions.PROGRESSING.equals(c.getType())).forEach(conditions::add);
    }
    conditions.add(Conditions.of(Conditions.SPEC_VALID, false, "InvalidSpec",
        problems + "; nothing is changed until the spec is fixed", generation, now));
    conditions.add(Conditions.of(Conditions.PROGRESSING, false, "InvalidSpec", "paused: the spec is invalid", generation, now));
    s.setConditions(Conditions.carryTransitionTimes(previous == null ? null : previous.getConditions(), conditions));
    return s;
  }

  /**
   * Upstream completeRollingUpdate, except that a partition above the first ordinal keeps the
   * rollout open even with no pods, so scaling to 0 and back does not forget it (kubernetes#121534).
   */
  static boolean rolloutComplete(ObservedState state) {
    SetDefinition set = state.set();
    if (!RollingUpdatePolicy.coversEveryOrdinal(set)) {
      return state.updateRevision().equals(state.currentRevision());
    }
    for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
      Pod pod = state.pods().get(ordinal);
      if (pod == null || !PodReadiness.isRunningAndReady(pod)
          || !state.updateRevision().equals(pod.getMetadata().getLabels().get(Labels.REVISION_HASH))) {
        return false;
      }
    }
    return true;
  }

  private static String summarize(List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    String head = String.join("; ", items.subList(0, Math.min(MAX_MESSAGE_ITEMS, items.size())));
    return items.size() > MAX_MESSAGE_ITEMS ? head + "; and " + (items.size() - MAX_MESSAGE_ITEMS) + " more" : head;
  }
}
