package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Map;

/**
 * A PersistentVolume with the fields binding compares read out once at index time.
 *
 * @param storageClass "" for no class
 * @param capacityBytes null when the capacity is unreadable (such a volume is never chosen)
 * @param claimRefKey "namespace/name" of {@code spec.claimRef}, null when empty
 */
record IndexedVolume(
    PersistentVolume volume,
    String name,
    String storageClass,
    String volumeMode,
    int accessModes,
    BigDecimal capacityBytes,
    String capacityDisplay,
    String claimRefKey,
    String claimRefUid,
    String phase,
    boolean deleting) {

  /** Legacy class annotation; Kubernetes still reads it before spec.storageClassName. */
  static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

  /** The order among volumes of one bucket: smallest first, then by name, so ties are stable. */
  static final Comparator<IndexedVolume> BY_CAPACITY_THEN_NAME =
      (a, b) -> {
        // Written out rather than Comparator.comparing(..).thenComparing(..): index builds sort
        // every volume with it, and the composed lambdas were a visible share of that.
        int byCapacity = a.capacityBytes().compareTo(b.capacityBytes());
        return byCapacity != 0 ? byCapacity : a.name().compareTo(b.name());
      };

  static IndexedVolume of(PersistentVolume volume) {
    PersistentVolumeSpec spec = volume.getSpec() == null ? new PersistentVolumeSpec() : volume.getSpec();
    ObjectReference claimRef = spec.getClaimRef();
    boolean hasClaimRef = claimRef != null && claimRef.getName() != null && !claimRef.getName().isEmpty();
    return new IndexedVolume(
        volume,
        volume.getMetadata().getName(),
        storageClassOf(volume),
        spec.getVolumeMode() == null ? ClaimRequest.FILESYSTEM : spec.getVolumeMode(),
        AccessModes.offeredMask(spec.getAccessModes()),
        Quantities.storageBytes(spec.getCapacity()),
        Quantities.display(spec.getCapacity()),
        hasClaimRef ? claimRef.getNamespace() + "/" + claimRef.getName() : null,
        hasClaimRef ? ClaimRequest.blankToNull(claimRef.getUid()) : null,
        volume.getStatus() == null ? null : volume.getStatus().getPhase(),
        volume.getMetadata().getDeletionTimestamp() != null);
  }

  private static String storageClassOf(PersistentVolume volume) {
    Map<String, String> annotations = volume.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(BETA_CLASS_ANNOTATION)) {
      return annotations.get(BETA_CLASS_ANNOTATION);
    }
    String storageClass = volume.getSpec() == null ? null : volume.getSpec().getStorageClassName();
    return storageClass == null ? "" : storageClass;
  }

  /**
   * Whether the claimRef names {@code claim}: same namespace and name, and no uid or the claim's
   * uid. A uid names one incarnation of a claim; a claim not created yet has none, so a uid on
   * the volume means an older claim of the same name owns the data.
   */
  boolean isReservedFor(ClaimRequest claim) {
    return claim.key().equals(claimRefKey)
        && (claimRefUid == null || claimRefUid.equals(claim.uid()));
  }

  boolean hasClaimRef() {
    return claimRefKey != null;
  }

  Map<String, String> labels() {
    Map<String, String> labels = volume.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
