package dev.ordinal.binding;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The volumes of one (class, volume mode, access-mode set), sorted by capacity then name, so the
 * smallest volume that is large enough is found by binary search rather than by a scan.
 */
final class CapacityBucket {
  private final int accessModes;
  private final IndexedVolume[] byCapacity;

  CapacityBucket(int accessModes, Collection<IndexedVolume> volumes) {
    this.accessModes = accessModes;
    this.byCapacity = volumes.toArray(IndexedVolume[]::new);
    Arrays.sort(byCapacity, IndexedVolume.BY_CAPACITY_THEN_NAME);
  }

  int accessModes() {
    return accessModes;
  }

  /**
   * The first volume, in (capacity, name) order, of at least {@code bytes} that {@code
   * acceptable} admits; each volume examined is reported to {@code onVisit}. Past the first
   * volume examined, the volumes {@code taken} (null for none) holds are passed over unexamined.
   */
  IndexedVolume firstAcceptable(
      BigDecimal bytes,
      Predicate<IndexedVolume> acceptable,
      Consumer<IndexedVolume> onVisit,
      Taken taken) {
    // The ceiling is always examined; after a refusal the walk jumps over taken positions.
    for (int i = ceiling(bytes);
        i < byCapacity.length;
        i = taken == null ? i + 1 : taken.nextFree(i + 1)) {
      IndexedVolume volume = byCapacity[i];
      onVisit.accept(volume);
      if (acceptable.test(volume)) {
        return volume;
      }
    }
    return null;
  }

  /** A new, empty set of taken positions in this bucket, for one pass. */
  Taken newTaken() {
    return new Taken(byCapacity.length);
  }

  /** Position of {@code volume} in this bucket, negative when it is not in it. */
  int positionOf(IndexedVolume volume) {
    int position = Arrays.binarySearch(byCapacity, volume, IndexedVolume.BY_CAPACITY_THEN_NAME);
    return position >= 0 && byCapacity[position] == volume ? position : -1;
  }

  /**
   * Positions of this bucket that a pass has given away, so that later lookups skip them in
   * near-constant time instead of visiting each again: {@code next[i]} points at or before the
   * first free position at or after i (a union-find with path halving; {@code next[length]}
   * is a free sentinel).
   */
  static final class Taken {
    private final int[] next;

    private Taken(int length) {
      next = new int[length + 1];
      for (int i = 0; i <= length; i++) {
        next[i] = i;
      }
    }

    void take(int position) {
      next[position] = position + 1;
    }

    int nextFree(int position) {
      int i = position;
      while (next[i] != i) {
        next[i] = next[next[i]];
        i = next[i];
      }
      return i;
    }
  }

  /** Index of the first volume with capacity >= bytes (length when none). */
  private int ceiling(BigDecimal bytes) {
    int low = 0;
    int high = byCapacity.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (byCapacity[mid].capacityBytes().compareTo(bytes) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
