package dev.ordinal.bench;

import dev.ordinal.binding.ClaimToBind;
import dev.ordinal.binding.SelectorMatcher;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The straightforward matcher, for comparison: for each claim, look at every volume, keep the
 * best one that fits. It checks the rules {@code ClaimBinder} checks for the claims the benchmark
 * generates (class, capacity, access modes, volume mode, selector, claimRef / phase, deletion,
 * not taken earlier in the pass; no node affinity, as no class waits for a consumer) and prefers
 * the same volume: a volume pre-bound to the claim first, then fewest access modes, smallest
 * capacity, name.
 *
 * <p>To be a fair baseline it is not naive about parsing: each volume's and claim's fields are
 * read once per call (inside the timed part, as the index build is) into plain fields, capacity
 * as a long, access modes as a bit mask; only the O(claims x volumes) scan remains.
 */
final class LinearScanMatcher {
  private static final List<String> MODES =
      List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

  private record Vol(
      String name, String storageClass, String volumeMode, int modes, long bytes,
      Map<String, String> labels, String claimRefKey, String claimRefUid, String phase, boolean deleting) {}

  private record Claim(
      String key, String uid, String storageClass, String volumeMode, int modes, long bytes,
      LabelSelector selector, String volumeName, String phase) {}

  private LinearScanMatcher() {}

  /** Per claim, in order: the name of the volume it gets, or null when it gets none now. */
  static List<String> match(List<PersistentVolume> volumes, List<ClaimToBind> claimsToBind) {
    List<Vol> vols = new ArrayList<>(volumes.size());
    for (PersistentVolume pv : volumes) {
      vols.add(vol(pv));
    }
    List<Claim> claims = new ArrayList<>(claimsToBind.size());
    for (ClaimToBind c : claimsToBind) {
      claims.add(claim(c.claim()));
    }
    Map<String, String> takenBy = new HashMap<>();
    for (Claim claim : claims) {
      if (claim.volumeName != null) {
        takenBy.putIfAbsent(claim.volumeName, claim.key);
      }
    }
    List<String> chosen = new ArrayList<>(claims.size());
    for (Claim claim : claims) {
      String name = choose(claim, vols, takenBy);
      if (name != null) {
        takenBy.put(name, claim.key);
      }
      chosen.add(name);
    }
    return chosen;
  }

  private static String choose(Claim claim, List<Vol> vols, Map<String, String> takenBy) {
    if ("Lost".equals(claim.phase) || "Bound".equals(claim.phase)) {
      return null; // lost, or already bound: nothing to choose
    }
    if (claim.bytes < 0) {
      return null; // an unreadable request fits nothing
    }
    if (claim.volumeName != null) {
      for (Vol v : vols) {
        if (v.name.equals(claim.volumeName)) {
          return fits(claim, v, takenBy) ? v.name : null;
        }
      }
      return null;
    }
    Vol best = null;
    boolean bestPreBound = false;
    for (Vol v : vols) {
      if (!fits(claim, v, takenBy)) {
        continue;
      }
      boolean preBound = v.claimRefKey != null; // fits() admits only a claimRef to this claim
      if (best == null
          || (preBound && !bestPreBound)
          || (preBound == bestPreBound && better(v, best))) {
        best = v;
        bestPreBound = preBound;
      }
    }
    return best == null ? null : best.name;
  }

  private static boolean better(Vol a, Vol b) {
    int modes = Integer.compare(Integer.bitCount(a.modes), Integer.bitCount(b.modes));
    if (modes != 0) {
      return modes < 0;
    }
    int bytes = Long.compare(a.bytes, b.bytes);
    if (bytes != 0) {
      return bytes < 0;
    }
    return a.name.compareTo(b.name) < 0;
  }

  private static boolean fits(Claim claim, Vol v, Map<String, String> takenBy) {
    boolean reservedForClaim =
        v.claimRefKey != null
            && v.claimRefKey.equals(claim.key)
            && (v.claimRefUid == null || v.claimRefUid.equals(claim.uid));
    if (v.claimRefKey != null && !reservedForClaim) {
      return false;
    }
    if (!v.storageClass.equals(claim.storageClass)
        || v.bytes < claim.bytes
        || v.bytes < 0
        || (v.modes & claim.modes) != claim.modes
        || !v.volumeMode.equals(claim.volumeMode)
        || v.deleting) {
      return false;
    }
    String taker = takenBy.get(v.name);
    if (taker != null && !taker.equals(claim.key)) {
      return false;
    }
    if (claim.selector != null && !SelectorMatcher.matches(claim.selector, v.labels)) {
      return false;
    }
    if ("Available".equals(v.phase)) {
      return true;
    }
    return reservedForClaim
        && (v.phase == null
            || ("Bound".equals(v.phase) && claim.uid != null && Objects.equals(v.claimRefUid, claim.uid)));
  }

  private static Vol vol(PersistentVolume pv) {
    var spec = pv.getSpec();
    var annotations = pv.getMetadata().getAnnotations();
    String storageClass =
        annotations != null && annotations.containsKey("volume.beta.kubernetes.io/storage-class")
            ? annotations.get("volume.beta.kubernetes.io/storage-class")
            : spec.getStorageClassName() == null ? "" : spec.getStorageClassName();
    ObjectReference ref = spec.getClaimRef();
    boolean hasRef = ref != null && ref.getName() != null && !ref.getName().isEmpty();
    return new Vol(
        pv.getMetadata().getName(),
        storageClass,
        spec.getVolumeMode() == null ? "Filesystem" : spec.getVolumeMode(),
        modes(spec.getAccessModes()) & 0xF,
        bytes(spec.getCapacity()),
        pv.getMetadata().getLabels() == null ? Map.of() : pv.getMetadata().getLabels(),
        hasRef ? ref.getNamespace() + "/" + ref.getName() : null,
        hasRef ? blankToNull(ref.getUid()) : null,
        pv.getStatus() == null ? null : pv.getStatus().getPhase(),
        pv.getMetadata().getDeletionTimestamp() != null);
  }

  private static Claim claim(PersistentVolumeClaim pvc) {
    var spec = pvc.getSpec();
    LabelSelector selector = spec.getSelector();
    boolean emptySelector =
        selector == null
            || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
    return new Claim(
        pvc.getMetadata().getNamespace() + "/" + pvc.getMetadata().getName(),
        blankToNull(pvc.getMetadata().getUid()),
        spec.getStorageClassName() == null ? "" : spec.getStorageClassName(),
        spec.getVolumeMode() == null ? "Filesystem" : spec.getVolumeMode(),
        modes(spec.getAccessModes()),
        spec.getResources() == null ? 0 : bytes(spec.getResources().getRequests()),
        emptySelector ? null : selector,
        blankToNull(spec.getVolumeName()),
        pvc.getStatus() == null ? null : pvc.getStatus().getPhase());
  }

  /** Unknown modes set bit 4, which no volume offers (volumes mask it off). */
  private static int modes(List<String> names) {
    int mask = 0;
    if (names != null) {
      for (String name : names) {
        int bit = MODES.indexOf(name);
        mask |= bit < 0 ? 1 << MODES.size() : 1 << bit;
      }
    }
    return mask;
  }

  /** Bytes of "storage"; 0 when absent; -1 (fits nothing, offers nothing) when unreadable. */
  private static long bytes(Map<String, Quantity> resources) {
    Quantity q = resources == null ? null : resources.get("storage");
    if (q == null) {
      return 0;
    }
    try {
      return Quantity.getAmountInBytes(q).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    } catch (RuntimeException unreadable) {
      return -1;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
