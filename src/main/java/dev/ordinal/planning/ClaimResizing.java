package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.VolumeClaimStatus;
import dev.ordinal.api.v1alpha1.VolumeClaimUpdateStrategyType;
import dev.ordinal.binding.Quantities;
import dev.ordinal.binding.StorageClasses;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * volumeClaimUpdateStrategy InPlace: a larger storage request in a claim template grows existing
 * claims one at a time, highest ordinal first and only at or above the partition, when the
 * claim's class allows expansion. A shrink, a class without expansion, or a template change other
 * than the storage request is refused with a reason and changes nothing. A state machine as
 * Strimzi's PVC reconciler: patch the request, then wait until status.capacity reaches it.
 */
final class ClaimResizing {
  static final String WAITING = "Waiting";
  static final String RESIZING = "Resizing";
  static final String REFUSED = "Refused";

  /** What resizing adds to a plan. */
  record Result(List<Action> actions, List<String> waits, List<String> refusals, List<VolumeClaimStatus> progress) {}

  private ClaimResizing() {}

  static Result plan(ObservedState state) {
    return plan(state, true);
  }

  /**
   * @param withPartition whether only ordinals at or above the partition grow (an OrdinalSet's
   *     claims follow its rollout); a StatefulSet's claims grow whatever its pods' rollout
   */
  static Result plan(ObservedState state, boolean withPartition) {
    SetDefinition set = state.set();
    List<Action> actions = new ArrayList<>();
    List<String> waits = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    List<VolumeClaimStatus> progress = new ArrayList<>();
    if (set.volumeClaimUpdateStrategy() == VolumeClaimUpdateStrategyType.Never) {
      return new Result(actions, waits, refusals, progress);
    }
    StorageClasses classes = new StorageClasses(state.storageClasses());
    for (PersistentVolumeClaim template : set.claimTemplates()) {
      String templateName = template.getMetadata().getName();
      BigDecimal wanted = Quantities.storageBytes(template.getSpec().getResources().getRequests());
      Quantity wantedQuantity = template.getSpec().getResources().getRequests().get(Quantities.STORAGE);
      boolean resizing = false;
      boolean shrinkReported = false;
      boolean changeReported = false;
      for (int ordinal = set.endExclusive() - 1; ordinal >= set.start(); ordinal--) {
        PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(templateName, set.name(), ordinal));
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null || !isBound(claim)) {
          continue;
        }
        String name = claim.getMetadata().getName();
        if (!changeReported) {
          String other = otherChange(template, claim);
          if (other != null) {
            refusals.add("volumeClaimTemplate " + templateName + " changed " + other
                + "; existing claims keep theirs (only a larger storage request is applied to existing claims)");
            changeReported = true;
          }
        }
        BigDecimal requested = Quantities.storageBytes(claim.getSpec().getResources() == null ? null : claim.getSpec().getResources().getRequests());
        if (wanted == null || requested == null) {
          continue;
        }
        int cmp = wanted.compareTo(requested);
        if (cmp < 0) {
          if (!shrinkReported) {
            refusals.add("volumeClaimTemplate " + templateName + " asks for " + Quantities.display(template.getSpec().getResources().getRequests())
                + " but claim " + name + " already has " + Quantities.display(claim.getSpec().getResources().getRequests())
                + ": claims cannot shrink; nothing is changed");
            shrinkReported = true;
          }
          continue;
        }
        // A claim whose status shows no capacity yet is not known to be short of anything.
        boolean capacityKnown = claim.getStatus().getCapacity() != null && claim.getStatus().getCapacity().containsKey(Quantities.STORAGE);
        BigDecimal capacity = capacityKnown ? Quantities.storageBytes(claim.getStatus().getCapacity()) : null;
        String capacityText = claim.getStatus().getCapacity() == null ? "0" : Quantities.display(claim.getStatus().getCapacity());
        if (cmp == 0) {
          if (capacity != null && capacity.compareTo(wanted) < 0) {
            resizing = true;
            progress.add(new VolumeClaimStatus(name, ordinal, Quantities.display(template.getSpec().getResources().getRequests()), capacityText, RESIZING));
            waits.add("claim " + name + " is resizing to " + Quantities.display(template.getSpec().getResources().getRequests()));
          }
          continue;
        }
        // The template asks for more than this claim has.
        String wantedText = Quantities.display(template.getSpec().getResources().getRequests());
        if (withPartition && !RollingUpdatePolicy.getsUpdateRevision(set, ordinal)) {
          continue;
        }
        String className = claim.getSpec().getStorageClassName();
        if (className == null || !classes.allowsExpansion(className)) {
          refusals.add("claim " + name + " stays at " + Quantities.display(claim.getSpec().getResources().getRequests())
              + ": storage class " + (className == null ? "(none)" : className) + " does not allow volume expansion");
          progress.add(new VolumeClaimStatus(name, ordinal, wantedText, capacityText, REFUSED));
          continue;
        }
        if (resizing) {
          progress.add(new VolumeClaimStatus(name, ordinal, wantedText, capacityText, WAITING));
          continue;
        }
        resizing = true;
        actions.add(new Action.ResizeClaim(ordinal, name, claim.getMetadata().getResourceVersion(), wantedQuantity));
        progress.add(new VolumeClaimStatus(name, ordinal, wantedText, capacityText, RESIZING));
        waits.add("expanding claim " + name + " to " + wantedText);
      }
    }
    return new Result(actions, waits, refusals, progress);
  }

  private static boolean isBound(PersistentVolumeClaim claim) {
    return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
  }

  /** A template change the operator does not carry to existing claims, or null. */
  private static String otherChange(PersistentVolumeClaim template, PersistentVolumeClaim claim) {
    var t = template.getSpec();
    var c = claim.getSpec();
    if (t.getAccessModes() != null && !Objects.equals(new java.util.TreeSet<>(t.getAccessModes()), new java.util.TreeSet<>(c.getAccessModes() == null ? List.of() : c.getAccessModes()))) {
      return "accessModes to " + t.getAccessModes();
    }
    if (t.getStorageClassName() != null && !Objects.equals(t.getStorageClassName(), c.getStorageClassName())) {
      return "storageClassName to " + t.getStorageClassName();
    }
    if (t.getVolumeMode() != null && !Objects.equals(t.getVolumeMode(), c.getVolumeMode() == null ? "Filesystem" : c.getVolumeMode())) {
      return "volumeMode to " + t.getVolumeMode();
    }
    if (t.getSelector() != null && !Objects.equals(t.getSelector(), c.getSelector())) {
      return "selector";
    }
    return null;
  }
}
