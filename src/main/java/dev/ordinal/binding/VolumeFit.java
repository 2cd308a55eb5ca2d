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
  static final String PENDING = "Pending";
  static final String BOUND = "Bound";

  /** Checks every rule without building a message: this runs for each volume a lookup visits. */
  boolean fits(IndexedVolume volume) {
    for (Rule rule : RULES) {
      if (!rule.holds(this, volume)) {
        return false;
      }
    }
    return true;
  }

  /** Every rule the volume breaks, in a fixed order; empty when it fits. */
  List<String> lacks(IndexedVolume volume) {
    List<String> lacks = new ArrayList<>();
    for (Rule rule : RULES) {
      if (!rule.holds(this, volume)) {
        lacks.add(rule.lack(this, volume));
      }
    }
    return lacks;
  }

  /**
   * How many rules the volume breaks ({@code lacks(volume).size()} without the messages), or
   * some number above {@code limit} once it is known to exceed it. Cheap rules are counted first.
   */
  int lackCount(IndexedVolume volume, int limit) {
    int count = 0;
    for (Rule rule : CHEAPEST_FIRST) {
      if (!rule.holds(this, volume) && ++count > limit) {
        return count;
      }
    }
    return count;
  }

  /** The rules ordered by cost: field comparisons first, then map lookups and label matching. */
  private static final Rule[] CHEAPEST_FIRST = {
    Rule.STORAGE_CLASS, Rule.CAPACITY, Rule.ACCESS_MODES, Rule.VOLUME_MODE, Rule.DELETING,
    Rule.CLAIMED_BY_OTHER, Rule.PHASE, Rule.TAKEN_IN_THIS_PASS, Rule.SELECTOR, Rule.NODE_AFFINITY
  };

  /** {@code Rule.values()} copies the array on every call. */
  private static final Rule[] RULES = Rule.values();

  /**
   * One rule per constant; the order is the order lacks are reported in. {@link #lack} says what
   * the volume lacks and is called only when {@link #holds} is false.
   */
  private enum Rule {
    CLAIMED_BY_OTHER {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return !volume.hasClaimRef() || volume.isReservedFor(fit.claim);
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        // The other claim's data is on this volume; its phase adds nothing but for Released.
        String phase = BOUND.equals(volume.phase()) ? "" : " (" + volume.phase() + ")";
        String incarnation =
            volume.claimRefKey().equals(fit.claim.key()) ? " (an earlier claim of that name)" : "";
        return "claimed by " + volume.claimRefKey() + incarnation + (volume.phase() == null ? "" : phase);
      }
    },
    TAKEN_IN_THIS_PASS {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        String taker = fit.takenBy.get(volume.name());
        boolean claimedByOther = volume.hasClaimRef() && !volume.isReservedFor(fit.claim);
        return taker == null || taker.equals(fit.claim.key()) || claimedByOther; // said already
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        return "chosen for claim " + fit.takenBy.get(volume.name()) + " in this pass";
      }
    },
    STORAGE_CLASS {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return volume.storageClass().equals(fit.claim.storageClass());
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        return "class " + quoted(volume.storageClass()) + " != " + quoted(fit.claim.storageClass());
      }
    },
    CAPACITY {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return volume.capacityBytes() != null
            && fit.claim.requestBytes() != null
            && volume.capacityBytes().compareTo(fit.claim.requestBytes()) >= 0;
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        if (volume.capacityBytes() == null) {
          return "capacity " + volume.capacityDisplay() + " is not a valid quantity";
        }
        if (fit.claim.requestBytes() == null) {
          return "request " + fit.claim.requestDisplay() + " is not a valid quantity";
        }
        return "capacity " + volume.capacityDisplay() + " < " + fit.claim.requestDisplay();
      }
    },
    ACCESS_MODES {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return AccessModes.covers(volume.accessModes(), fit.claim.accessModes());
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        List<String> offered = AccessModes.names(volume.accessModes());
        List<String> missing =
            fit.claim.accessModeNames().stream().filter(m -> !offered.contains(m)).toList();
        return "access modes " + offered + " lack " + String.join(", ", missing);
      }
    },
    VOLUME_MODE {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return volume.volumeMode().equals(fit.claim.volumeMode());
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        return "volume mode " + volume.volumeMode() + " != " + fit.claim.volumeMode();
      }
    },
    SELECTOR {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return SelectorMatcher.matches(fit.claim.selector(), volume.labels());
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        return "labels do not match selector";
      }
    },
    PHASE {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        // A volume claimed by another claim is already reported as such.
        return (volume.hasClaimRef() && !volume.isReservedFor(fit.claim))
            || phaseAllows(fit.claim, volume);
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        return "phase " + volume.phase();
      }
    },
    DELETING {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return !volume.deleting();
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        return "being deleted";
      }
    },
    NODE_AFFINITY {
      @Override
      boolean holds(VolumeFit fit, IndexedVolume volume) {
        return fit.node == null || NodeAffinityMatcher.admits(volume.volume(), fit.node);
      }

      @Override
      String lack(VolumeFit fit, IndexedVolume volume) {
        return "node affinity does not admit node " + fit.node.getMetadata().getName();
      }
    };

    abstract boolean holds(VolumeFit fit, IndexedVolume volume);

    abstract String lack(VolumeFit fit, IndexedVolume volume);
  }

  /**
   * A free volume must be Available. A volume already reserved for this claim may also have no
   * phase yet (the PV controller has not synced it), or be Bound when its claimRef carries this
   * claim's uid (a bind that got as far as the volume).
   */
  static boolean phaseAllows(ClaimRequest claim, IndexedVolume volume) {
    if (AVAILABLE.equals(volume.phase()) || isNew(volume)) {
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

  /**
   * A volume just created: no claimRef, no phase yet or Pending, which the cluster's PV controller
   * turns into Available when it gets to it (after an API-server restart that took it up to 86 s
   * here, and 50 s for 1,000 new volumes under load). Kubernetes' binder waits for Available only
   * to avoid write conflicts; our reservation is a resourceVersion-guarded write whose conflict is
   * harmless, so we do not wait, and the claim is reserved by us rather than left to that binder.
   */
  static boolean isNew(IndexedVolume volume) {
    return !volume.hasClaimRef() && !volume.deleting() && (volume.phase() == null || PENDING.equals(volume.phase()));
  }

  private static String quoted(String storageClass) {
    return storageClass.isEmpty() ? "\"\"" : storageClass;
  }
}
