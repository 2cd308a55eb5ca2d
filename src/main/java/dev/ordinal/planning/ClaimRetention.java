package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The retention policy expressed as owner references, so that the cluster's garbage collector,
 * not the operator, deletes claims: whenDeleted Delete makes the set an owner of every claim;
 * whenScaled Delete makes the condemned pod an owner of its claims just before it is deleted.
 * The operator itself never deletes a claim.
 */
final class ClaimRetention {
  private ClaimRetention() {}

  /** Owner changes for the set's claims under whenDeleted (adds or removes the set as owner). */
  static List<Action> ownerActions(ObservedState state, List<EventNote> events) {
    SetDefinition set = state.set();
    List<Action> actions = new ArrayList<>();
    for (PersistentVolumeClaim claim : state.claims().values()) {
      if (claim.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<Integer> ordinal = ordinalOf(set, claim);
      if (ordinal.isEmpty() || conflicting(set, claim, events)) {
        continue;
      }
      List<OwnerReference> current = refs(claim);
      List<OwnerReference> desired = new ArrayList<>(current.stream()
          .filter(r -> !Objects.equals(r.getUid(), set.uid()))
          .filter(r -> !ownedByLiveDesiredPod(state, ordinal.get(), r))
          .toList());
      if (set.whenDeleted() == RetentionPolicyType.Delete) {
        desired.add(OwnerRefs.setOwnsClaim(set.name(), set.uid()));
      }
      if (!sameOwners(current, desired)) {
        actions.add(new Action.SetClaimOwners(ordinal.get(), claim.getMetadata().getName(), claim.getMetadata().getResourceVersion(), desired));
      }
    }
    return actions;
  }

  /**
   * A pod owner left on the claim of a desired ordinal whose pod is alive (a scale-down that was
   * interrupted and then undone): the garbage collector would delete the claim with that pod, so
   * the reference goes, as upstream's updateClaimOwnerRefForSetAndPod removes it.
   */
  private static boolean ownedByLiveDesiredPod(ObservedState state, int ordinal, OwnerReference ref) {
    Pod pod = state.pods().get(ordinal);
    return "Pod".equals(ref.getKind()) && state.set().inRange(ordinal)
        && pod != null && !PodReadiness.isTerminating(pod)
        && Objects.equals(ref.getUid(), pod.getMetadata().getUid());
  }

  /** Under whenScaled Delete, the condemned pod must own its claims before it goes. */
  static List<Action> beforeCondemning(ObservedState state, int ordinal, Pod pod, List<EventNote> events) {
    SetDefinition set = state.set();
    if (set.whenScaled() != RetentionPolicyType.Delete) {
      return List.of();
    }
    List<Action> actions = new ArrayList<>();
    for (String template : set.claimTemplateNames()) {
      PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
      if (claim == null || claim.getMetadata().getDeletionTimestamp() != null || conflicting(set, claim, events)) {
        continue;
      }
      List<OwnerReference> current = refs(claim);
      if (current.stream().anyMatch(r -> Objects.equals(r.getUid(), pod.getMetadata().getUid()))) {
        continue;
      }
      List<OwnerReference> desired = new ArrayList<>(current.stream().filter(r -> !Objects.equals(r.getUid(), set.uid())).toList());
      if (set.whenDeleted() == RetentionPolicyType.Delete) {
        desired.add(OwnerRefs.setOwnsClaim(set.name(), set.uid()));
      }
      desired.add(OwnerRefs.podOwnsClaim(pod));
      actions.add(new Action.SetClaimOwners(ordinal, claim.getMetadata().getName(), claim.getMetadata().getResourceVersion(), desired));
    }
    return actions;
  }

  /**
   * A desired ordinal whose pod is gone but whose claim is still owned by the old pod: the
   * garbage collector is about to delete that claim, so the ordinal waits rather than reuse it.
   */
  static Optional<String> claimHeldByOldPod(ObservedState state, int ordinal) {
    SetDefinition set = state.set();
    String podName = OrdinalNames.podName(set.name(), ordinal);
    for (String template : set.claimTemplateNames()) {
      PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
      if (claim != null && refs(claim).stream().anyMatch(r -> "Pod".equals(r.getKind()) && podName.equals(r.getName()))) {
        return Optional.of(claim.getMetadata().getName());
      }
    }
    return Optional.empty();
  }

  private static boolean conflicting(SetDefinition set, PersistentVolumeClaim claim, List<EventNote> events) {
    Optional<OwnerReference> controller = OwnerRefs.controller(claim.getMetadata().getOwnerReferences());
    if (controller.isPresent() && !Objects.equals(controller.get().getUid(), set.uid())) {
      events.add(new EventNote(
          new EventNote.Involved("v1", "PersistentVolumeClaim", set.namespace(), claim.getMetadata().getName(), claim.getMetadata().getUid()),
          EventNote.Type.Warning, EventNote.CONFLICTING_CONTROLLER,
          "claim " + claim.getMetadata().getName() + " is controlled by " + controller.get().getKind() + "/" + controller.get().getName()
              + "; its owner references are left alone, so the retention policy of set " + set.name() + " does not apply to it"));
      return true;
    }
    return false;
  }

  private static Optional<Integer> ordinalOf(SetDefinition set, PersistentVolumeClaim claim) {
    String name = claim.getMetadata().getName();
    for (String template : set.claimTemplateNames()) {
      String prefix = template + "-";
      if (name.startsWith(prefix)) {
        var ordinal = OrdinalNames.ordinalOf(set.name(), name.substring(prefix.length()));
        if (ordinal.isPresent()) {
          return Optional.of(ordinal.getAsInt());
        }
      }
    }
    return Optional.empty();
  }

  private static List<OwnerReference> refs(PersistentVolumeClaim claim) {
    return claim.getMetadata().getOwnerReferences() == null ? List.of() : claim.getMetadata().getOwnerReferences();
  }

  /** The same owners in any order: beforeCondemning appends the pod after the set, ownerActions the set last. */
  private static boolean sameOwners(List<OwnerReference> a, List<OwnerReference> b) {
    return a.stream().map(OwnerReference::getUid).collect(java.util.stream.Collectors.toSet())
        .equals(b.stream().map(OwnerReference::getUid).collect(java.util.stream.Collectors.toSet()));
  }
}
