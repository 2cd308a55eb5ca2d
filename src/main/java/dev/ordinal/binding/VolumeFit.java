package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The binding rules (design 3.6) for one claim against one volume, each a named predicate that
 * says what the volume lacks, so the same code decides and explains.
 *
 * @param node the consuming pod's node when the class binds on first consumer, else null (node
 *     affinity is then not checked, as the cluster's PV controller does not check it either)
 * @param takenBy volumes already chosen earlier in this pass, to the claim ("ns/name") they went to
 */
record VolumeFit(ClaimRequest claim, Node node, Map<String, String> takenBy) {

  static final String AVAILABLE = "Available";
  static final String BOUND = "Bound";

  boolean fits(IndexedVolume volume) {
    return firstLack(volume) == null;
  }

  /** Every rule the volume breaks, in a fixed order; empty when it fits. */
  List<String> lacks(IndexedVolume volume) {
    List<String> lacks = new ArrayList<>();
    for (Rule rule : Rule.values()) {
      String lack = rule.check(this, volume);
      if (lack != null) {
        lacks.add(lack);
      }
    }
    return lacks;
  }

  private String firstLack(IndexedVolume volume) {
    for (Rule rule : Rule.values()) {
      String lack = rule.check(this, volume);
      if (lack != null) {
        return lack;
      }
    }
    return null;
  }

  /** One rule per constant; the order is the order lacks are reported in. */
  private enum Rule {
    CLAIMED_BY_OTHER {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        if (!volume.hasClaimRef() || volume.isReservedFor(fit.claim)) {
          return null;
        }
        // The other claim's data is on this volume; its phase adds nothing but for Released.
        String phase = BOUND.equals(volume.phase()) ? "" : " (" + volume.phase() + ")";
        String incarnation =
            volume.claimRefKey().equals(fit.claim.key()) ? " (an earlier claim of that name)" : "";
        return "claimed by " + volume.claimRefKey() + incarnation + (volume.phase() == null ? "" : phase);
      }
    },
    TAKEN_IN_THIS_PASS {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        String taker = fit.takenBy.get(volume.name());
        boolean claimedByOther = volume.hasClaimRef() && !volume.isReservedFor(fit.claim);
        return taker == null || taker.equals(fit.claim.key()) || claimedByOther // said already
            ? null
            : "chosen for claim " + taker + " in this pass";
      }
    },
    STORAGE_CLASS {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        return volume.storageClass().equals(fit.claim.storageClass())
            ? null
            : "class " + quoted(volume.storageClass()) + " != " + quoted(fit.claim.storageClass());
      }
    },
    CAPACITY {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        if (volume.capacityBytes() == null) {
          return "capacity " + volume.capacityDisplay() + " is not a valid quantity";
        }
        if (fit.claim.requestBytes() == null) {
          return "request " + fit.claim.requestDisplay() + " is not a valid quantity";
        }
        return volume.capacityBytes().compareTo(fit.claim.requestBytes()) >= 0
            ? null
            : "capacity " + volume.capacityDisplay() + " < " + fit.claim.requestDisplay();
      }
    },
    ACCESS_MODES {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        if (AccessModes.covers(volume.accessModes(), fit.claim.accessModes())) {
          return null;
        }
        List<String> offered = AccessModes.names(volume.accessModes());
        List<String> missing =
            fit.claim.accessModeNames().stream().filter(m -> !offered.contains(m)).toList();
        return "access modes " + offered + " lack " + String.join(", ", missing);
      }
    },
    VOLUME_MODE {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        return volume.volumeMode().equals(fit.claim.volumeMode())
            ? null
            : "volume mode " + volume.volumeMode() + " != " + fit.claim.volumeMode();
      }
    },
    SELECTOR {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        return SelectorMatcher.matches(fit.claim.selector(), volume.labels())
            ? null
            : "labels do not match selector";
      }
    },
    PHASE {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        if (volume.hasClaimRef() && !volume.isReservedFor(fit.claim)) {
          return null; // already reported as claimed by another claim
        }
        return phaseAllows(fit.claim, volume) ? null : "phase " + volume.phase();
      }
    },
    DELETING {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        return volume.deleting() ? "being deleted" : null;
      }
    },
    NODE_AFFINITY {
      @Override
      String check(VolumeFit fit, IndexedVolume volume) {
        return fit.node == null || NodeAffinityMatcher.admits(volume.volume(), fit.node)
            ? null
            : "node affinity does not admit node " + fit.node.getMetadata().getName();
      }
    };

    abstract String check(VolumeFit fit, IndexedVolume volume);
  }

  /**
   * A free volume must be Available. A volume already reserved for this claim may also have no
   * phase yet (the PV controller has not synced it), or be Bound when its claimRef carries this
   * claim's uid (a bind that got as far as the volume).
   */
  static boolean phaseAllows(ClaimRequest claim, IndexedVolume volume) {
    if (AVAILABLE.equals(volume.phase())) {
      return true;
    }
    if (!volume.isReservedFor(claim)) {
      return false;
    }
    return volume.phase() == null
        || (BOUND.equals(volume.phase())
            && claim.uid() != null
            && Objects.equals(volume.claimRefUid(), claim.uid()));
  }

  private static String quoted(String storageClass) {
    return storageClass.isEmpty() ? "\"\"" : storageClass;
  }
}
