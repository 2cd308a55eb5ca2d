package dev.ordinal.operator.execute;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slow-start batch sizes per set, remembered across reconciles: a set whose last batches all
 * succeeded goes on at the size it had reached (a Parallel set of thousands is reconciled many
 * times while it converges, and starting each pass again at 1 throttled it to bursts); a failure
 * other than a conflict sends it back to 1, as upstream's slowStartBatch does for a broken API.
 */
final class SlowStart {
  private final int max;
  private final Map<String, Integer> reached = new ConcurrentHashMap<>();

  SlowStart(int max) {
    this.max = Math.max(1, max);
  }

  /** The first batch size for this set's next execution. */
  int first(String set) {
    return reached.getOrDefault(set, 1);
  }

  int next(int batch) {
    return Math.min(max, batch * 2);
  }

  /** Records how the execution ended: the size it reached, or a failure. */
  void finished(String set, int batch, boolean failed) {
    if (failed || batch <= 1) {
      reached.remove(set);
    } else {
      reached.put(set, Math.min(max, batch));
    }
  }
}
