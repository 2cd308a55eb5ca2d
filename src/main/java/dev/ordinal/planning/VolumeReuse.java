package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.VolumeReuseType;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * volumeReuse SameOrdinal: a claim recreated for an ordinal takes back the Released volume (Retain
 * policy) whose claimRef still names that very claim, so the ordinal's data follows it without an
 * admin hand-editing the PV. Only a claimRef with this claim's namespace and name qualifies; a
 * volume held for any other claim is never touched. With Never (the default) nothing changes.
 */
final class VolumeReuse {
  private VolumeReuse() {}

  /**
   * The volumes as the binder should see them: each Released volume that names one of the claims
   * to bind is presented as pre-bound to it (stale uid cleared, Available), so the binder's usual
   * rule, "the volume pre-bound to the claim wins", hands it back.
   *
   * @param reclaimed receives the names of the volumes presented so
   */
  static Map<String, PersistentVolume> volumesForBinding(SetDefinition set, Map<String, PersistentVolume> volumes,
      List<PersistentVolumeClaim> claimsToBind, Set<String> reclaimed) {
    if (set.volumeReuse() != VolumeReuseType.SameOrdinal || claimsToBind.isEmpty()) {
      return volumes;
    }
    Set<String> names = claimsToBind.stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
    Map<String, PersistentVolume> view = null;
    for (PersistentVolume pv : volumes.values()) {
      if (!isReleasedIn(pv, set.namespace()) || !names.contains(pv.getSpec().getClaimRef().getName())) {
        continue;
      }
      if (view == null) {
        view = new HashMap<>(volumes);
      }
      view.put(pv.getMetadata().getName(), reclaimedView(pv));
      reclaimed.add(pv.getMetadata().getName());
    }
    return view == null ? volumes : view;
  }

  /** A Retain volume Released by a claim of this namespace: its claimRef still names that claim. */
  static boolean isReleasedIn(PersistentVolume pv, String namespace) {
    var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    return ref != null && pv.getStatus() != null && "Released".equals(pv.getStatus().getPhase())
        && "Retain".equals(pv.getSpec().getPersistentVolumeReclaimPolicy()) && namespace.equals(ref.getNamespace());
  }

  /** The volume held for a claim of the name its claimRef gives: the old claim's uid and resourceVersion gone. */
  static PersistentVolume heldForClaimName(PersistentVolume pv) {
    return new PersistentVolumeBuilder(pv)
        .editSpec().editClaimRef().withUid(null).withResourceVersion(null).endClaimRef().endSpec()
        .build();
  }

  private static PersistentVolume reclaimedView(PersistentVolume pv) {
    return new PersistentVolumeBuilder(heldForClaimName(pv))
        .editStatus().withPhase("Available").withReason(null).withMessage(null).endStatus()
        .build();
  }
}
