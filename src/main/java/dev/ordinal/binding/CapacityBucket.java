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
   * acceptable} admits; each volume examined is reported to {@code onVisit}.
   */
  IndexedVolume firstAcceptable(
      BigDecimal bytes, Predicate<IndexedVolume> acceptable, Consumer<IndexedVolume> onVisit) {
    for (int i = ceiling(bytes); i < byCapacity.length; i++) {
      IndexedVolume volume = byCapacity[i];
      onVisit.accept(volume);
      if (acceptable.test(volume)) {
        return volume;
      }
    }
    return null;
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
