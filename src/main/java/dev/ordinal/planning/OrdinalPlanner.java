package dev.ordinal.planning;

import dev.ordinal.binding.BindWrites;
import dev.ordinal.binding.BindingDecision;
import dev.ordinal.binding.ClaimBinder;
import dev.ordinal.binding.ClaimToBind;
import dev.ordinal.binding.StorageClasses;
import dev.ordinal.binding.VolumeIndex;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the next writes for one set from observed state alone (pure: no client, no clock).
 *
 * <p>Order of concerns, as upstream's sync: desired ordinals ascending (claims before pods,
 * failed pods replaced), then binding of the set's claims, then retention owners, then scale-down
 * highest ordinal first. OrderedReady emits at most the next blocking step; Parallel emits every
 * independent step.
 */
public final class OrdinalPlanner {

  public OrdinalPlan plan(ObservedState state) {
    return new Run(state).plan();
  }

  /** The working memory of one planning pass. */
  private static final class Run {
    private final ObservedState state;
    private final SetDefinition set;
    private final List<Action> claimActions = new ArrayList<>();
    private final List<Action> podActions = new ArrayList<>();
    private final List<Action> scaleDownActions = new ArrayList<>();
    private final List<EventNote> events = new ArrayList<>();
    private final List<String> waits = new ArrayList<>();
    private final List<String> storageProblems = new ArrayList<>();
    private final List<NewClaim> newClaims = new ArrayList<>();
    private Optional<String> stuck = Optional.empty();
    private Optional<Duration> requeueAfter = Optional.empty();

    Run(ObservedState state) {
      this.state = state;
      this.set = state.set();
    }

    OrdinalPlan plan() {
      boolean blocked = planDesiredOrdinals();
      planBinding();
      List<Action> ownerActions = ClaimRetention.ownerActions(state, events);
      planScaleDown(blocked);
      List<Action> actions = new ArrayList<>(claimActions);
      actions.addAll(podActions);
      actions.addAll(ownerActions);
      actions.addAll(scaleDownActions);
      return new OrdinalPlan(actions, events, waits, stuck, storageProblems, requeueAfter);
    }

    /** Returns whether OrderedReady progress is blocked at some ordinal. */
    private boolean planDesiredOrdinals() {
      boolean blocked = false;
      for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
        if (blocked && !set.isParallel()) {
          break;
        }
        Pod pod = state.pods().get(ordinal);
        Optional<String> deletingClaim = claimBeingDeleted(ordinal);
        if (deletingClaim.isPresent()) {
          waits.add("claim " + deletingClaim.get() + " is being deleted; " + podName(ordinal) + " waits for it to be gone");
          blocked = true;
          continue;
        }
        if (pod == null) {
          Optional<String> heldClaim = ClaimRetention.claimHeldByOldPod(state, ordinal);
          if (heldClaim.isPresent()) {
            waits.add("claim " + heldClaim.get() + " is still owned by a deleted pod; " + podName(ordinal) + " waits for it to be released");
            blocked = true;
            continue;
          }
          addMissingClaims(ordinal);
          podActions.add(new Action.CreatePod(ordinal, PodFactory.newPod(set, set.template(), state.updateRevision(), ordinal)));
          waits.add("creating " + podName(ordinal));
          blocked = true;
          continue;
        }
        if (PodReadiness.isTerminating(pod)) {
          waits.add(podName(ordinal) + " is terminating");
          blocked = true;
          continue;
        }
        if (PodReadiness.isFailed(pod) || PodReadiness.isSucceeded(pod)) {
          podActions.add(new Action.DeletePod(ordinal, pod.getMetadata().getName(), pod.getMetadata().getUid(),
              "phase " + PodReadiness.phase(pod) + ", recreating it with the same claims"));
          waits.add("recreating " + podName(ordinal) + " (phase " + PodReadiness.phase(pod) + ")");
          blocked = true;
          continue;
        }
        if (PodReadiness.isPending(pod)) {
          addMissingClaims(ordinal);
        }
        if (!PodReadiness.isRunningAndAvailable(pod, set.minReadySeconds(), state.now())) {
          blocked = true;
          waitForUnavailablePod(ordinal, pod);
        }
      }
      return blocked;
    }

    private void waitForUnavailablePod(int ordinal, Pod pod) {
      Optional<Duration> untilAvailable = PodReadiness.untilAvailable(pod, set.minReadySeconds(), state.now());
      if (untilAvailable.isPresent()) {
        Duration d = untilAvailable.get();
        waits.add(podName(ordinal) + " is Ready and becomes available in " + Math.max(1, d.toSeconds()) + "s (minReadySeconds)");
        requeueAfter = Optional.of(requeueAfter.filter(r -> r.compareTo(d) < 0).orElse(d));
        return;
      }
      waitForUnreadyPod(ordinal, pod);
    }

    private void waitForUnreadyPod(int ordinal, Pod pod) {
      String reason = PodReadiness.notReadyReason(pod);
      waits.add(podName(ordinal) + " is not Ready yet (" + reason + ")");
      if (reason.contains("BackOff") || reason.contains("Err") || reason.contains("Error")) {
        setStuck(podName(ordinal) + " does not become Ready: " + reason);
      }
    }

    private void setStuck(String reason) {
      if (stuck.isEmpty()) {
        stuck = Optional.of(reason);
      }
    }

    private void addMissingClaims(int ordinal) {
      for (PersistentVolumeClaim template : set.claimTemplates()) {
        String name = OrdinalNames.claimName(template.getMetadata().getName(), set.name(), ordinal);
        if (!state.claims().containsKey(name)) {
          newClaims.add(new NewClaim(ordinal, ClaimFactory.newClaim(set, template, ordinal,
              StorageClasses.defaultClassName(state.storageClasses().values()))));
        }
      }
    }

    private Optional<String> claimBeingDeleted(int ordinal) {
      return set.claimTemplateNames().stream()
          .map(t -> state.claims().get(OrdinalNames.claimName(t, set.name(), ordinal)))
          .filter(c -> c != null && c.getMetadata().getDeletionTimestamp() != null)
          .map(c -> c.getMetadata().getName())
          .findFirst();
    }

    /** Binds new claims (in the same binder call, so no PV is promised twice) and pending ones. */
    private void planBinding() {
      List<ClaimToBind> toBind = new ArrayList<>();
      List<Integer> ordinals = new ArrayList<>();
      List<Boolean> isNew = new ArrayList<>();
      for (NewClaim n : newClaims) {
        toBind.add(new ClaimToBind(n.claim(), null));
        ordinals.add(n.ordinal());
        isNew.add(true);
      }
      for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
        for (String template : set.claimTemplateNames()) {
          PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
          if (claim != null && claim.getMetadata().getDeletionTimestamp() == null && !ClaimState.isSettled(claim, state.volumes())) {
            Pod pod = state.pods().get(ordinal);
            String node = pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            toBind.add(new ClaimToBind(claim, node));
            ordinals.add(ordinal);
            isNew.add(false);
          }
        }
      }
      if (toBind.isEmpty()) {
        return;
      }
      ClaimBinder binder = new ClaimBinder(new StorageClasses(state.storageClasses()), state.nodes());
      List<BindingDecision> decisions = binder.decide(toBind, VolumeIndex.of(state.volumes().values()));
      for (int i = 0; i < decisions.size(); i++) {
        apply(decisions.get(i), toBind.get(i).claim(), ordinals.get(i), isNew.get(i));
      }
    }

    private void apply(BindingDecision decision, PersistentVolumeClaim claim, int ordinal, boolean isNew) {
      String ns = set.namespace();
      String name = claim.getMetadata().getName();
      switch (decision) {
        case BindingDecision.Reserve r -> {
          if (isNew) {
            claimActions.add(new Action.CreateClaim(ordinal, BindWrites.pointedAt(claim, r.volume().getMetadata().getName()),
                Optional.of(BindWrites.reserved(r.volume(), ns, name, null))));
          } else {
            claimActions.add(new Action.BindClaim(ordinal, claim,
                BindWrites.reserved(r.volume(), ns, name, claim.getMetadata().getUid())));
          }
          waits.add("binding claim " + name + " to volume " + r.volume().getMetadata().getName());
        }
        case BindingDecision.CompleteBind c -> {
          claimActions.add(new Action.CompleteBind(ordinal, claim, c.volume()));
          waits.add("completing bind of claim " + name + " to volume " + c.volume().getMetadata().getName());
        }
        case BindingDecision.AlreadyBound b -> {
          if (isNew) {
            claimActions.add(new Action.CreateClaim(ordinal, claim, Optional.empty()));
          }
        }
        case BindingDecision.AwaitConsumer a -> {
          createIfNew(claim, ordinal, isNew);
          waits.add("claim " + name + " waits for its pod to be scheduled (WaitForFirstConsumer)");
        }
        case BindingDecision.AwaitProvisioning p -> {
          createIfNew(claim, ordinal, isNew);
          waits.add("claim " + name + " waits for provisioner " + p.provisioner());
        }
        case BindingDecision.Unbindable u -> {
          createIfNew(claim, ordinal, isNew);
          storageProblems.add(u.message());
          waits.add("claim " + name + " is Pending");
          setStuck(podName(ordinal) + " cannot start: claim " + name + " cannot bind");
          if (!isNew) {
            events.add(new EventNote(
                new EventNote.Involved("v1", "PersistentVolumeClaim", ns, name, claim.getMetadata().getUid()),
                EventNote.Type.Warning, EventNote.FAILED_BINDING, u.message()));
          }
        }
      }
    }

    private void createIfNew(PersistentVolumeClaim claim, int ordinal, boolean isNew) {
      if (isNew) {
        claimActions.add(new Action.CreateClaim(ordinal, claim, Optional.empty()));
      }
    }

    /** Highest ordinal first; OrderedReady one at a time and only while every desired pod is healthy. */
    private void planScaleDown(boolean blocked) {
      List<Pod> condemned = state.pods().entrySet().stream()
          .filter(e -> !set.inRange(e.getKey()))
          .sorted(Map.Entry.<Integer, Pod>comparingByKey(Comparator.reverseOrder()))
          .map(Map.Entry::getValue)
          .toList();
      if (condemned.isEmpty()) {
        return;
      }
      if (!set.isParallel()) {
        if (blocked) {
          waits.add("scale-down waits until every desired pod is Running and Ready");
          return;
        }
        Optional<Pod> terminating = condemned.stream().filter(PodReadiness::isTerminating).findFirst();
        if (terminating.isPresent()) {
          waits.add("scale-down waits for " + terminating.get().getMetadata().getName() + " to terminate");
          return;
        }
        condemn(condemned.get(0));
        return;
      }
      condemned.stream().filter(p -> !PodReadiness.isTerminating(p)).forEach(this::condemn);
      if (condemned.stream().anyMatch(PodReadiness::isTerminating)) {
        waits.add("scale-down waits for terminating pods");
      }
    }

    private void condemn(Pod pod) {
      int ordinal = OrdinalNames.ordinalOf(set.name(), pod.getMetadata().getName()).orElseThrow();
      scaleDownActions.addAll(ClaimRetention.beforeCondemning(state, ordinal, pod, events));
      scaleDownActions.add(new Action.DeletePod(ordinal, pod.getMetadata().getName(), pod.getMetadata().getUid(), "scale down"));
      waits.add("deleting " + pod.getMetadata().getName() + " (scale down)");
    }

    private String podName(int ordinal) {
      return OrdinalNames.podName(set.name(), ordinal);
    }
  }

  private record NewClaim(int ordinal, PersistentVolumeClaim claim) {}

  /** Whether a claim needs no binding work: Bound, and its volume Bound to it. */
  static final class ClaimState {
    private ClaimState() {}

    static boolean isSettled(PersistentVolumeClaim claim, Map<String, PersistentVolume> volumes) {
      if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase()) || claim.getSpec().getVolumeName() == null) {
        return false;
      }
      PersistentVolume pv = volumes.get(claim.getSpec().getVolumeName());
      return pv != null && pv.getSpec().getClaimRef() != null
          && claim.getMetadata().getUid() != null
          && claim.getMetadata().getUid().equals(pv.getSpec().getClaimRef().getUid())
          && pv.getStatus() != null && "Bound".equals(pv.getStatus().getPhase());
    }
  }
}
