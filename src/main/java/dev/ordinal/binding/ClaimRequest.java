package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a claim asks for, read once from the claim so each volume comparison is cheap.
 *
 * @param storageClass "" for no class
 * @param uid null for a claim not created yet
 * @param requestBytes null when the request is unreadable (it then fits nothing)
 */
record ClaimRequest(
    String namespace,
    String name,
    String uid,
    String storageClass,
    String volumeMode,
    int accessModes,
    List<String> accessModeNames,
    BigDecimal requestBytes,
    String requestDisplay,
    LabelSelector selector,
    String volumeName,
    String phase) {

  static final String FILESYSTEM = "Filesystem";

  static ClaimRequest of(PersistentVolumeClaim claim) {
    PersistentVolumeClaimSpec spec =
        claim.getSpec() == null ? new PersistentVolumeClaimSpec() : claim.getSpec();
    var requests = spec.getResources() == null ? null : spec.getResources().getRequests();
    List<String> modes = spec.getAccessModes() == null ? List.of() : List.copyOf(spec.getAccessModes());
    return new ClaimRequest(
        claim.getMetadata().getNamespace(),
        claim.getMetadata().getName(),
        blankToNull(claim.getMetadata().getUid()),
        spec.getStorageClassName() == null ? "" : spec.getStorageClassName(),
        spec.getVolumeMode() == null ? FILESYSTEM : spec.getVolumeMode(),
        AccessModes.mask(modes),
        modes,
        Quantities.storageBytes(requests),
        Quantities.display(requests),
        SelectorMatcher.isEmpty(spec.getSelector()) ? null : spec.getSelector(),
        blankToNull(spec.getVolumeName()),
        claim.getStatus() == null ? null : claim.getStatus().getPhase());
  }

  /** "namespace/name", the form claimRefs are indexed and reported by. */
  String key() {
    return namespace + "/" + name;
  }

  /** "(manual, 1Gi, [ReadWriteOnce])": what the claim asks for, for messages. */
  String summary() {
    String storageClassText = storageClass.isEmpty() ? "no class" : storageClass;
    String mode = FILESYSTEM.equals(volumeMode) ? "" : ", " + volumeMode;
    String selectorText = selector == null ? "" : ", with a label selector";
    return "(" + storageClassText + ", " + requestDisplay + ", " + accessModeNames + mode
        + selectorText + ")";
  }

  static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
