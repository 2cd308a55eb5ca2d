package dev.ordinal.planning;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * One write the plan asks for. Every action names its ordinal: when an action fails, the executor
 * skips the later actions of the same ordinal (a pod is never created after its claim failed).
 */
public sealed interface Action {
  /** The ordinal of actions that concern the whole set (revisions): they run before any ordinal's. */
  int SET_LEVEL = -1;

  int ordinal();

  /** A short verb-and-object for logs and metrics. */
  String describe();

  /** Create a claim; when {@code reserve} is present, first reserve that PV for it (reserve-then-bind). */
  record CreateClaim(int ordinal, PersistentVolumeClaim claim, Optional<PersistentVolume> reserve) implements Action {
    public String describe() {
      return "create claim " + claim.getMetadata().getName() + reserve.map(v -> " on volume " + v.getMetadata().getName()).orElse("");
    }
  }

  /** Reserve {@code volume} (already carrying the claimRef) and point the existing pending claim at it. */
  record BindClaim(int ordinal, PersistentVolumeClaim claim, PersistentVolume volume) implements Action {
    public String describe() {
      return "bind claim " + claim.getMetadata().getName() + " to volume " + volume.getMetadata().getName();
    }
  }

  /** Finish a bind whose reservation and claim pointer are in place: both objects become Bound. */
  record CompleteBind(int ordinal, PersistentVolumeClaim claim, PersistentVolume volume) implements Action {
    public String describe() {
      return "complete bind of claim " + claim.getMetadata().getName() + " to volume " + volume.getMetadata().getName();
    }
  }

  /**
   * Write a volume's claimRef as given (the rest as observed, guarded by its resourceVersion): a
   * reservation left behind for a claim that was bound elsewhere is released, or a Released volume
   * is held for the claim of the same name (volume reuse).
   */
  record WriteVolume(int ordinal, PersistentVolume volume, String reason) implements Action {
    public String describe() {
      return "update volume " + volume.getMetadata().getName() + " (" + reason + ")";
    }
  }

  /** A ControllerRevision write (create, renumber or trim); set-level, so its ordinal is {@link #SET_LEVEL}. */
  record WriteRevision(dev.ordinal.revision.RevisionWrite write) implements Action {
    public int ordinal() {
      return SET_LEVEL;
    }

    public String describe() {
      return switch (write) {
        case dev.ordinal.revision.RevisionWrite.Create c -> "create revision " + c.name();
        case dev.ordinal.revision.RevisionWrite.Update u -> "renumber revision " + u.name() + " to " + u.revision().getRevision();
        case dev.ordinal.revision.RevisionWrite.Delete d -> "trim revision " + d.name();
      };
    }
  }

  record CreatePod(int ordinal, Pod pod) implements Action {
    public String describe() {
      return "create pod " + pod.getMetadata().getName();
    }
  }

  record DeletePod(int ordinal, String name, String uid, String reason) implements Action {
    public String describe() {
      return "delete pod " + name + " (" + reason + ")";
    }
  }

  /** Grow a claim's storage request (volumeClaimUpdateStrategy InPlace), guarded by its resourceVersion. */
  record ResizeClaim(int ordinal, String claimName, String resourceVersion, io.fabric8.kubernetes.api.model.Quantity storage) implements Action {
    public String describe() {
      return "expand claim " + claimName + " to " + storage;
    }
  }

  /** Replace the owner references of a claim (retention policy), guarded by its resourceVersion. */
  record SetClaimOwners(int ordinal, String claimName, String resourceVersion, List<OwnerReference> owners) implements Action {
    public SetClaimOwners {
      owners = List.copyOf(owners);
    }

    public String describe() {
      return "set owners of claim " + claimName + " to " + owners.stream().map(o -> o.getKind() + "/" + o.getName()).toList();
    }
  }
}
