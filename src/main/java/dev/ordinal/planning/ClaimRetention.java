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
 * not the operator, deletes claims, with upstream's ownership (KEP-1847,
 * updateClaimOwnerRefForSetAndPod):
 * <ul>
 *   <li>a claim of a wanted ordinal is owned by the set when whenDeleted is Delete, and by no pod;
 *   <li>under whenScaled Delete, the claim of a condemned ordinal is owned by its pod alone, set
 *       just before the pod is deleted, so the garbage collector deletes the claim once the pod is
 *       gone. A live set owner beside it would keep the claim forever (a real collector strips the
 *       dangling pod owner and keeps the claim);
 *   <li>when such an ordinal is wanted again before the collector has deleted its claim, the set
 *       takes the claim back: the pod owner goes (live or of a deleted pod: matched by name, as
 *       upstream's matchesRef) and the set's retention owner comes, and the pod returns to it.
 * </ul>
 * The operator itself never deletes a claim.
 */
final class ClaimRetention {
  private ClaimRetention() {}

  /** Owner changes for the set's claims (retention owners per the policy, and takeovers of wanted claims). */
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
      List<OwnerReference> desired = desiredOwners(set, ordinal.get(), current);
      if (!sameOwners(current, desired)) {
        actions.add(new Action.SetClaimOwners(ordinal.get(), claim.getMetadata().getName(), claim.getMetadata().getResourceVersion(), desired));
      }
    }
    return actions;
  }

  private static List<OwnerReference> desiredOwners(SetDefinition set, int ordinal, List<OwnerReference> current) {
    String podName = OrdinalNames.podName(set.name(), ordinal);
    List<OwnerReference> desired = new ArrayList<>(current.stream().filter(r -> !Objects.equals(r.getUid(), set.uid())).toList());
    if (set.inRange(ordinal)) {
      // Wanted: no pod owns the claim, whether the pod is alive (a scale-down interrupted and
      // undone) or gone and the collector has not deleted the claim yet (the takeover).
      desired.removeIf(r -> namesPod(r, podName));
    } else if (set.whenScaled() == RetentionPolicyType.Delete && current.stream().anyMatch(r -> namesPod(r, podName))) {
      // Condemned and owned by its pod: the pod alone, so the claim goes with it.
      return desired;
    }
    if (set.whenDeleted() == RetentionPolicyType.Delete) {
      desired.add(OwnerRefs.setOwnsClaim(set.name(), set.uid()));
    }
    return desired;
  }

  /** Under whenScaled Delete, the condemned pod must own its claims, alone, before it goes. */
  static List<Action> beforeCondemning(ObservedState state, int ordinal, Pod pod, List<EventNote> events) {
    SetDefinition set = state.set();
    if (set.whenScaled() != RetentionPolicyType.Delete) {
      return List.of();
    }
    List<Action> actions = new ArrayList<>();
    String podName = pod.getMetadata().getName();
    for (String template : set.claimTemplateNames()) {
      PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
      if (claim == null || claim.getMetadata().getDeletionTimestamp() != null || conflicting(set, claim, events)) {
        continue;
      }
      List<OwnerReference> current = refs(claim);
      List<OwnerReference> desired = new ArrayList<>(current.stream()
          .filter(r -> !Objects.equals(r.getUid(), set.uid()))
          .filter(r -> !namesPod(r, podName))
          .toList());
      desired.add(OwnerRefs.podOwnsClaim(pod));
      if (!sameOwners(current, desired)) {
        actions.add(new Action.SetClaimOwners(ordinal, claim.getMetadata().getName(), claim.getMetadata().getResourceVersion(), desired));
      }
    }
    return actions;
  }

  /**
   * A wanted ordinal whose pod is gone but one of whose claims is still owned by a pod of that
   * name (a deleted pod: the collector has not deleted the claim yet). {@link #ownerActions} takes
   * the claim back in the same plan; the pod waits until that write is seen, so it never starts
   * on a claim the collector may still delete. Once the claim is taken back, or gone (then it is
   * created anew), the pod is created: the wait always ends.
   */
  static Optional<String> claimHeldByOldPod(ObservedState state, int ordinal) {
    SetDefinition set = state.set();
    String podName = OrdinalNames.podName(set.name(), ordinal);
    for (String template : set.claimTemplateNames()) {
      PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
      if (claim != null && refs(claim).stream().anyMatch(r -> namesPod(r, podName))) {
        return Optional.of(claim.getMetadata().getName());
      }
    }
    return Optional.empty();
  }

  /** An owner reference to the pod of this name, whatever its uid. */
  private static boolean namesPod(OwnerReference ref, String podName) {
    return "Pod".equals(ref.getKind()) && "v1".equals(ref.getApiVersion()) && podName.equals(ref.getName());
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
