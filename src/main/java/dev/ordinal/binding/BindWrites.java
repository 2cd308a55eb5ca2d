package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The objects the executor writes to carry out a bind, built as new objects so observed (cached)
 * objects are never mutated. Annotations and fields are the ones the cluster's PV controller
 * writes, so the two controllers agree on what a finished bind looks like.
 */
public final class BindWrites {
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  static final String YES = "yes";

  private BindWrites() {}

  /**
   * The volume with {@code spec.claimRef} naming the claim. The observed resourceVersion is kept,
   * so the write fails with a conflict if anyone changed the volume since it was chosen. As the
   * PV controller does, {@code bound-by-controller} is added only when this write is what
   * reserves the volume, not when an admin had already pre-bound it to the claim.
   *
   * @throws IllegalArgumentException if the volume's claimRef names another claim: its data
   *     belongs to that claim
   */
  public static PersistentVolume reserved(
      PersistentVolume pv, String claimNamespace, String claimName, String claimUidOrNull) {
    ObjectReference current = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    String uid = ClaimRequest.blankToNull(claimUidOrNull);
    boolean alreadyNamesClaim = current != null && names(current, claimNamespace, claimName);
    if (current != null && current.getName() != null && !current.getName().isEmpty()) {
      String currentUid = ClaimRequest.blankToNull(current.getUid());
      if (!alreadyNamesClaim || (currentUid != null && !currentUid.equals(uid))) {
        throw new IllegalArgumentException(
            "PersistentVolume " + pv.getMetadata().getName() + " is claimed by "
                + current.getNamespace() + "/" + current.getName()
                + (currentUid == null ? "" : " (uid " + currentUid + ")")
                + "; refusing to reserve it for " + claimNamespace + "/" + claimName);
      }
    }
    PersistentVolumeBuilder builder =
        new PersistentVolumeBuilder(pv)
            .editOrNewSpec()
            .withClaimRef(claimRef(claimNamespace, claimName, uid, current))
            .endSpec();
    if (!alreadyNamesClaim) {
      builder.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, YES).endMetadata();
    }
    return builder.build();
  }

  /** The volume reserved for the claim with its uid, and phase Bound. */
  public static PersistentVolume bound(PersistentVolume pv, PersistentVolumeClaim claim) {
    String uid = ClaimRequest.blankToNull(claim.getMetadata().getUid());
    if (uid == null) {
      throw new IllegalArgumentException(
          "claim " + claim.getMetadata().getName() + " has no uid: create it before binding");
    }
    PersistentVolume reserved =
        reserved(pv, claim.getMetadata().getNamespace(), claim.getMetadata().getName(), uid);
    return new PersistentVolumeBuilder(reserved)
        .editOrNewStatus()
        .withPhase(VolumeFit.BOUND)
        .endStatus()
        .build();
  }

  /**
   * A claim about to be created, already naming its reserved volume but not yet marked bound: the
   * cluster's PV controller treats it as pre-bound and may finish the bind itself. Marking it
   * bind-completed before the volume's claimRef carries its uid would make that controller declare
   * the claim Lost.
   */
  public static PersistentVolumeClaim naming(PersistentVolumeClaim claim, String volumeName) {
    return new PersistentVolumeClaimBuilder(claim)
        .editOrNewSpec()
        .withVolumeName(volumeName)
        .endSpec()
        .build();
  }

  /** The claim naming the volume, marked as bound by a controller. */
  public static PersistentVolumeClaim pointedAt(PersistentVolumeClaim claim, String volumeName) {
    return new PersistentVolumeClaimBuilder(claim)
        .editOrNewMetadata()
        .addToAnnotations(BIND_COMPLETED, YES)
        .addToAnnotations(BOUND_BY_CONTROLLER, YES)
        .endMetadata()
        .editOrNewSpec()
        .withVolumeName(volumeName)
        .endSpec()
        .build();
  }

  /** Whether the volume's claimRef carries this claim's uid: the bind (or someone's) reached it. */
  public static boolean isBoundTo(PersistentVolume pv, String claimUid) {
    return pv != null && pv.getSpec() != null && pv.getSpec().getClaimRef() != null
        && claimUid != null && claimUid.equals(pv.getSpec().getClaimRef().getUid());
  }

  /** The claim's status once bound: what it actually got, which may exceed what it asked for. */
  public static PersistentVolumeClaim boundStatus(PersistentVolumeClaim claim, PersistentVolume pv) {
    Map<String, Quantity> capacity =
        pv.getSpec() == null || pv.getSpec().getCapacity() == null
            ? Map.of()
            : pv.getSpec().getCapacity();
    List<String> accessModes =
        pv.getSpec() == null || pv.getSpec().getAccessModes() == null
            ? List.of()
            : pv.getSpec().getAccessModes();
    Map<String, Quantity> capacityCopy = new LinkedHashMap<>();
    capacity.forEach((k, v) -> capacityCopy.put(k, new Quantity(v.getAmount(), v.getFormat())));
    return new PersistentVolumeClaimBuilder(claim)
        .editOrNewStatus()
        .withPhase(VolumeFit.BOUND)
        .withCapacity(capacityCopy)
        .withAccessModes(new ArrayList<>(accessModes))
        .endStatus()
        .build();
  }

  private static boolean names(ObjectReference ref, String namespace, String name) {
    return Objects.equals(ref.getNamespace(), namespace) && Objects.equals(ref.getName(), name);
  }

  private static ObjectReference claimRef(
      String namespace, String name, String uid, ObjectReference current) {
    // Keep a claimRef that already says all this (resourceVersion included) byte for byte, so
    // reserving a volume reserved earlier is a no-op write.
    if (current != null
        && names(current, namespace, name)
        && Objects.equals(ClaimRequest.blankToNull(current.getUid()), uid)
        && "PersistentVolumeClaim".equals(current.getKind())
        && "v1".equals(current.getApiVersion())) {
      return new ObjectReferenceBuilder(current).build();
    }
    return new ObjectReferenceBuilder()
        .withKind("PersistentVolumeClaim")
        .withApiVersion("v1")
        .withNamespace(namespace)
        .withName(name)
        .withUid(uid)
        .build();
  }
}
