package dev.ordinal.planning;

import dev.ordinal.binding.StorageClasses;
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
  /** How long a pod may stay unready before the set reports it as stuck (Deployment's progressDeadlineSeconds). */
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
  private final Duration progressDeadline;

  public OrdinalPlanner() {
    this(DEFAULT_PROGRESS_DEADLINE);
  }

  public OrdinalPlanner(Duration progressDeadline) {
    this.progressDeadline = progressDeadline;
  }

  public OrdinalPlan plan(ObservedState state) {
    return new Run(state, progressDeadline).plan();
  }

  /** The working memory of one planning pass. */
  private static final class Run {
    private final ObservedState state;
    private final SetDefinition set;
    private final Duration progressDeadline;
    private final List<Action> revisionActions = new ArrayList<>();
    private final List<Action> rolloutActions = new ArrayList<>();
    private final List<Action> claimActions = new ArrayList<>();
    private final List<Action> podActions = new ArrayList<>();
    private final List<Action> scaleDownActions = new ArrayList<>();
    private final List<EventNote> events = new ArrayList<>();
    private final List<String> waits = new ArrayList<>();
    private final List<String> storageProblems = new ArrayList<>();
    private final List<ClaimBindingPass.NewClaim> newClaims = new ArrayList<>();
    private Optional<String> stuck = Optional.empty();
    private Optional<Duration> requeueAfter = Optional.empty();

    Run(ObservedState state, Duration progressDeadline) {
      this.state = state;
      this.set = state.set();
      this.progressDeadline = progressDeadline;
    }

    OrdinalPlan plan() {
      state.revisions().writes().forEach(w -> revisionActions.add(new Action.WriteRevision(w)));
      boolean blocked = planDesiredOrdinals();
      planBinding();
      List<Action> ownerActions = ClaimRetention.ownerActions(state, events);
      boolean scalingDown = planScaleDown(blocked);
      if (!scalingDown) {
        planRollingUpdate();
      }
      ClaimResizing.Result resizing = ClaimResizing.plan(state);
      waits.addAll(resizing.waits());
      List<Action> actions = new ArrayList<>(revisionActions);
      actions.addAll(claimActions);
      actions.addAll(resizing.actions());
      actions.addAll(podActions);
      actions.addAll(withoutClaimsCondemnedNow(ownerActions));
      actions.addAll(scaleDownActions);
      actions.addAll(rolloutActions);
      return new OrdinalPlan(actions, events, waits, stuck, storageProblems, requeueAfter, resizing.refusals(), resizing.progress());
    }

    /**
     * The owner writes for claims whose pod this plan condemns are the condemning ones (the pod
     * alone owns them): a second write to the same claim at the same resourceVersion would only
     * meet a conflict and hold back the pod's deletion.
     */
    private List<Action> withoutClaimsCondemnedNow(List<Action> ownerActions) {
      java.util.Set<String> condemned = new java.util.HashSet<>();
      scaleDownActions.forEach(a -> {
        if (a instanceof Action.SetClaimOwners s) {
          condemned.add(s.claimName());
        }
      });
      return ownerActions.stream()
          .filter(a -> !(a instanceof Action.SetClaimOwners s && condemned.contains(s.claimName())))
          .toList();
    }

    /**
     * Replaces pods not on the update revision, highest ordinal first down to the partition, while
     * fewer than maxUnavailable desired pods are unavailable (pods already unavailable count).
     */
    private void planRollingUpdate() {
      if (set.updateStrategy() != dev.ordinal.api.v1alpha1.UpdateStrategyType.RollingUpdate || stuck.isPresent()) {
        return;
      }
      int unavailable = 0;
      for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
        Pod pod = state.pods().get(ordinal);
        if (pod == null || !PodReadiness.isRunningAndAvailable(pod, set.minReadySeconds(), state.now())) {
          unavailable++;
        }
      }
      int budget = RollingUpdatePolicy.maxUnavailable(set) - unavailable;
      int lowest = Math.max(set.partition(), set.start());
      for (int ordinal = set.endExclusive() - 1; ordinal >= lowest; ordinal--) {
        Pod pod = state.pods().get(ordinal);
        if (pod == null || PodReadiness.isTerminating(pod) || state.updateRevision().equals(revisionOf(pod))) {
          continue;
        }
        if (!PodReadiness.isRunningAndAvailable(pod, set.minReadySeconds(), state.now())) {
          continue;
        }
        if (budget <= 0) {
          waits.add("rolling update to " + state.updateRevision() + " waits: " + unavailable + " of at most "
              + RollingUpdatePolicy.maxUnavailable(set) + " pods are unavailable");
          return;
        }
        rolloutActions.add(new Action.DeletePod(ordinal, pod.getMetadata().getName(), pod.getMetadata().getUid(),
            "rolling update from " + revisionOf(pod) + " to " + state.updateRevision()));
        waits.add("updating " + pod.getMetadata().getName() + " to " + state.updateRevision());
        budget--;
        unavailable++;
      }
    }

    private String targetRevision(int ordinal) {
      return RollingUpdatePolicy.getsUpdateRevision(set, ordinal) ? state.updateRevision() : state.currentRevision();
    }

    private io.fabric8.kubernetes.api.model.PodTemplateSpec targetTemplate(int ordinal) {
      return RollingUpdatePolicy.getsUpdateRevision(set, ordinal) ? set.template() : state.revisions().currentTemplate();
    }

    private static String revisionOf(Pod pod) {
      return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(dev.ordinal.naming.Labels.REVISION_HASH);
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
            // ClaimRetention.ownerActions takes it back in this plan; the pod follows once that is seen.
            waits.add("claim " + heldClaim.get() + " is still owned by a deleted pod; taking it back before "
                + podName(ordinal) + " is created on it");
            blocked = true;
            continue;
          }
          addMissingClaims(ordinal);
          podActions.add(new Action.CreatePod(ordinal, PodFactory.newPod(set, targetTemplate(ordinal), targetRevision(ordinal), ordinal)));
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
          if (isStuckOnAnOutdatedRevision(ordinal, pod)) {
            // Already unavailable, so replacing it costs no availability; upstream waits for a
            // manual delete here (kubernetes#67250).
            podActions.add(new Action.DeletePod(ordinal, pod.getMetadata().getName(), pod.getMetadata().getUid(),
                "not Ready on revision " + revisionOf(pod) + ", replacing it with " + targetRevision(ordinal)));
            waits.add("replacing " + podName(ordinal) + " (not Ready on an outdated revision)");
            continue;
          }
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

    private boolean isStuckOnAnOutdatedRevision(int ordinal, Pod pod) {
      // The target is the current revision below the partition: a pod left unready there on a
      // revision neither current nor update (the partition was raised over a broken rollout,
      // fault seeds 111 and 174) is stuck just the same.
      return set.updateStrategy() == dev.ordinal.api.v1alpha1.UpdateStrategyType.RollingUpdate
          && !PodReadiness.isRunningAndReady(pod)
          && !PodReadiness.isTerminating(pod)
          && !targetRevision(ordinal).equals(revisionOf(pod));
    }

    private void waitForUnreadyPod(int ordinal, Pod pod) {
      String reason = PodReadiness.notReadyReason(pod);
      waits.add(podName(ordinal) + " is not Ready yet (" + reason + ")");
      if (reason.contains("BackOff") || reason.contains("Err") || reason.contains("Error")) {
        setStuck(podName(ordinal) + " does not become Ready: " + reason);
      } else if (unreadyLongerThanDeadline(pod)) {
        setStuck(podName(ordinal) + " has not become Ready within " + progressDeadline.toSeconds() + "s (" + reason + ")");
      }
    }

    private boolean unreadyLongerThanDeadline(Pod pod) {
      String created = pod.getMetadata().getCreationTimestamp();
      try {
        return created != null && java.time.Instant.parse(created).plus(progressDeadline).isBefore(state.now());
      } catch (RuntimeException unparsable) {
        return false;
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
          newClaims.add(new ClaimBindingPass.NewClaim(ordinal, ClaimFactory.newClaim(set, template, ordinal,
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
      ClaimBindingPass.Result binding = ClaimBindingPass.plan(state, newClaims);
      claimActions.addAll(binding.actions());
      events.addAll(binding.events());
      waits.addAll(binding.waits());
      storageProblems.addAll(binding.storageProblems());
      binding.stuck().ifPresent(this::setStuck);
    }

    /** Highest ordinal first; OrderedReady one at a time and only while every desired pod is healthy. */
    /** Returns whether condemned pods remain (a rolling update waits until scaling settles). */
    private boolean planScaleDown(boolean blocked) {
      List<Pod> condemned = state.pods().entrySet().stream()
          .filter(e -> !set.inRange(e.getKey()))
          .sorted(Map.Entry.<Integer, Pod>comparingByKey(Comparator.reverseOrder()))
          .map(Map.Entry::getValue)
          .toList();
      if (condemned.isEmpty()) {
        return false;
      }
      if (!set.isParallel()) {
        if (blocked) {
          waits.add("scale-down waits until every desired pod is Running and Ready");
          return true;
        }
        Optional<Pod> terminating = condemned.stream().filter(PodReadiness::isTerminating).findFirst();
        if (terminating.isPresent()) {
          waits.add("scale-down waits for " + terminating.get().getMetadata().getName() + " to terminate");
          return true;
        }
        condemn(condemned.get(0));
        return true;
      }
      condemned.stream().filter(p -> !PodReadiness.isTerminating(p)).forEach(this::condemn);
      if (condemned.stream().anyMatch(PodReadiness::isTerminating)) {
        waits.add("scale-down waits for terminating pods");
      }
      return true;
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
