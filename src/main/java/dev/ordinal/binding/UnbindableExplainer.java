package dev.ordinal.binding;

import dev.ordinal.binding.BindingDecision.Unbindable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Turns "nothing fits" into a sentence a person can act on: which volumes came closest and what
 * each lacks. This is the failure path, so it may look at every volume; the binder caps how
 * often it runs per pass.
 */
final class UnbindableExplainer {
  static final int CLOSEST_SHOWN = 3;

  private record Candidate(IndexedVolume volume, int lackCount, BigDecimal distance) {}

  /** Fewest broken rules first, then the capacity nearest the request, then the name. */
  private static final Comparator<Candidate> CLOSEST_FIRST =
      Comparator.comparingInt(Candidate::lackCount)
          .thenComparing(Candidate::distance)
          .thenComparing(c -> c.volume().name());

  private UnbindableExplainer() {}

  static Unbindable explain(ClaimRequest claim, VolumeFit fit, VolumeIndex index) {
    // A max-heap of size CLOSEST_SHOWN keeps the work at O(n log 3) however many volumes exist.
    // Only broken rules are counted per volume; the messages are written for the shown ones.
    PriorityQueue<Candidate> closest = new PriorityQueue<>(CLOSEST_FIRST.reversed());
    int misfits = 0;
    // Where volumes of the claim's class exist, those are the ones a person would give it: a
    // volume of another class is never "close", however many other rules it meets (in a shared
    // cluster it would crowd out the volume that is actually wanted, e.g. one claimed by another).
    boolean classExists = index.hasStorageClass(claim.storageClass());
    for (IndexedVolume volume : index.all()) {
      if (classExists && !volume.storageClass().equals(claim.storageClass())) {
        continue;
      }
      // Counting stops above the worst of the 3 kept: such a volume cannot be shown.
      int limit = closest.size() == CLOSEST_SHOWN ? closest.peek().lackCount() : Integer.MAX_VALUE;
      int lackCount = fit.lackCount(volume, limit);
      if (lackCount == 0) {
        continue; // cannot happen when called after a failed lookup; never report a fit as a misfit
      }
      misfits++;
      if (lackCount > limit) {
        continue;
      }
      closest.add(new Candidate(volume, lackCount, distance(claim, volume)));
      if (closest.size() > CLOSEST_SHOWN) {
        closest.poll();
      }
    }
    List<Candidate> shown = new ArrayList<>(closest);
    shown.sort(CLOSEST_FIRST);
    List<VolumeMismatch> mismatches =
        shown.stream()
            .map(c -> new VolumeMismatch(c.volume().name(), fit.lacks(c.volume())))
            .toList();

    StringBuilder message = new StringBuilder(noneFits(claim)).append(": ");
    if (!index.hasStorageClass(claim.storageClass())) {
      message.append(
          claim.storageClass().isEmpty()
              ? "no PersistentVolume is without a storage class"
              : "no PersistentVolume has storage class \"" + claim.storageClass() + "\"");
    } else {
      message.append(String.join("; ", mismatches.stream().map(UnbindableExplainer::describe).toList()));
      int unshown = misfits - mismatches.size();
      if (unshown > 0) {
        message.append("; ").append(unshown).append(unshown == 1 ? " other PersistentVolume fits" : " other PersistentVolumes fit").append(" less well");
      }
    }
    return new Unbindable(claim.name(), message.toString(), mismatches);
  }

  /** For claims past the per-pass explanation budget: still says what failed, not why. */
  static Unbindable brief(ClaimRequest claim, int explainedInFull) {
    return new Unbindable(
        claim.name(),
        noneFits(claim)
            + " (not examined further: the first "
            + explainedInFull
            + " unbindable claims of this pass are explained in full)",
        List.of());
  }

  /** A claim that names its volume (spec.volumeName) can bind to nothing else. */
  static Unbindable namedVolumeMissing(ClaimRequest claim) {
    return new Unbindable(
        claim.name(),
        "claim " + claim.key() + " " + claim.summary() + " names PersistentVolume "
            + claim.volumeName() + ", which does not exist; create it or remove spec.volumeName",
        List.of());
  }

  static Unbindable namedVolumeUnfit(ClaimRequest claim, VolumeMismatch mismatch) {
    return new Unbindable(
        claim.name(),
        "claim " + claim.key() + " " + claim.summary() + " names PersistentVolume "
            + mismatch.volumeName() + ", which does not fit: " + String.join(", ", mismatch.lacks()),
        List.of(mismatch));
  }

  static Unbindable lost(ClaimRequest claim) {
    return new Unbindable(
        claim.name(),
        "claim " + claim.key() + " is Lost: PersistentVolume " + claim.volumeName()
            + " it was bound to is gone or bound elsewhere; restore that volume, or delete the"
            + " claim to start over without its data",
        List.of());
  }

  private static String noneFits(ClaimRequest claim) {
    return "no PersistentVolume fits claim " + claim.key() + " " + claim.summary();
  }

  /** "pv-a is claimed by default/www-web-0" reads better than "pv-a: claimed by ...". */
  private static String describe(VolumeMismatch mismatch) {
    List<String> lacks = mismatch.lacks();
    String joined = String.join(", ", lacks);
    return lacks.get(0).startsWith("claimed by ") || lacks.get(0).startsWith("chosen for ")
        ? mismatch.volumeName() + " is " + joined
        : mismatch.volumeName() + ": " + joined;
  }

  private static BigDecimal distance(ClaimRequest claim, IndexedVolume volume) {
    if (claim.requestBytes() == null || volume.capacityBytes() == null) {
      return BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.TEN);
    }
    return volume.capacityBytes().subtract(claim.requestBytes()).abs();
  }
}
