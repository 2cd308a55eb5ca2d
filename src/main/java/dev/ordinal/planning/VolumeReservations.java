package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.VolumeReuseType;
import dev.ordinal.binding.BindWrites;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Volume writes that are not part of a bind, for a set whose claims someone else may create too
 * (a StatefulSet's controller creates a claim the moment it needs it, and the cluster's PV binder
 * binds that claim by its own choice when it gets there before us).
 */
final class VolumeReservations {
  private VolumeReservations() {}

  /**
   * Releases reservations left behind: a volume a controller reserved for one of the set's claims
   * (claimRef by name, no uid, bound-by-controller) while that claim got bound to another volume.
   * The claim's volumeName cannot change any more, so the reservation would hold the volume
   * forever (the cluster's PV controller leaves a pre-bound volume alone).
   */
  static List<Action> releaseStranded(ObservedState state) {
    SetDefinition set = state.set();
    List<Action> actions = new ArrayList<>();
    for (PersistentVolume pv : state.volumes().values()) {
      ObjectReference ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
      if (ref == null || !set.namespace().equals(ref.getNamespace()) || !blank(ref.getUid()) || !byController(pv)) {
        continue;
      }
      PersistentVolumeClaim claim = state.claims().get(ref.getName());
      if (claim == null || claim.getSpec() == null || blank(claim.getSpec().getVolumeName())
          || claim.getSpec().getVolumeName().equals(pv.getMetadata().getName())) {
        continue;
      }
      PersistentVolume released = new PersistentVolumeBuilder(pv).editSpec().withClaimRef(null).endSpec()
          .editMetadata().removeFromAnnotations(BindWrites.BOUND_BY_CONTROLLER).endMetadata().build();
      actions.add(new Action.WriteVolume(ordinalOf(set, ref.getName()).orElse(Action.SET_LEVEL), released,
          "its reservation for claim " + ref.getName() + " is released: the claim was bound to " + claim.getSpec().getVolumeName()));
    }
    return actions;
  }

  /**
   * volume-reuse SameOrdinal: a Released volume (Retain) whose claim of this set is gone is held
   * for the claim of the same name at once (its claimRef keeps the name, loses the uid), so that
   * whoever creates that claim again, we or the StatefulSet controller, the cluster's PV binder
   * too binds it to this volume and no other.
   *
   * @param boundInThisPlan volumes the plan's binds write already: they are left to those
   */
  static List<Action> holdForReuse(ObservedState state, java.util.Set<String> boundInThisPlan, List<EventNote> events) {
    SetDefinition set = state.set();
    List<Action> actions = new ArrayList<>();
    if (set.volumeReuse() != VolumeReuseType.SameOrdinal) {
      return actions;
    }
    for (PersistentVolume pv : state.volumes().values()) {
      if (!VolumeReuse.isReleasedIn(pv, set.namespace()) || boundInThisPlan.contains(pv.getMetadata().getName())
          || blank(pv.getSpec().getClaimRef().getUid())) {
        continue;
      }
      ObjectReference ref = pv.getSpec().getClaimRef();
      OptionalInt ordinal = ordinalOf(set, ref.getName());
      PersistentVolumeClaim sameName = state.claims().get(ref.getName());
      boolean boundElsewhere = sameName != null && sameName.getSpec() != null && !blank(sameName.getSpec().getVolumeName());
      if (ordinal.isEmpty() || boundElsewhere) {
        continue;
      }
      actions.add(new Action.WriteVolume(ordinal.getAsInt(), VolumeReuse.heldForClaimName(pv), "held for claim " + ref.getName() + " (volume reuse SameOrdinal)"));
      events.add(new EventNote(EventNote.Involved.of(set), EventNote.Type.Normal, "ReusingVolume",
          "volume " + pv.getMetadata().getName() + " is Released and was last bound to claim " + ref.getName()
              + "; holding it for that claim (volume reuse SameOrdinal)"));
    }
    return actions;
  }

  private static OptionalInt ordinalOf(SetDefinition set, String claimName) {
    return OrdinalNames.ordinalOfClaim(set.claimTemplateNames(), set.name(), claimName);
  }

  private static boolean byController(PersistentVolume pv) {
    Map<String, String> annotations = pv.getMetadata().getAnnotations();
    return annotations != null && "yes".equals(annotations.get(BindWrites.BOUND_BY_CONTROLLER));
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
