package dev.ordinal.operator.execute;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write that someone else may already have made: on a conflict, a fresh read decides. When the
 * object already is as we wanted (the cluster's PV binder completing the bind of a claim we
 * pre-bound, typically), the step counts as done and the fresh object is what we go on from;
 * otherwise the conflict stands and the next reconcile recomputes.
 */
final class ClusterDidIt {
  private static final Logger log = LoggerFactory.getLogger(ClusterDidIt.class);

  private ClusterDidIt() {}

  static <T> T writeOrAdopt(Supplier<T> write, Supplier<T> freshRead, Predicate<T> alreadyDone, String step) {
    return writeOrAdopt(write, freshRead, alreadyDone, step, fresh -> null);
  }

  /**
   * As {@link #writeOrAdopt(Supplier, Supplier, Predicate, String)}; when the step is not done
   * yet, {@code again} may give the same write based on the fresh object (someone changed
   * something beside our step, e.g. a volume's phase): tried once, and its conflict stands.
   */
  static <T> T writeOrAdopt(Supplier<T> write, Supplier<T> freshRead, Predicate<T> alreadyDone, String step,
      java.util.function.Function<T, Supplier<T>> again) {
    try {
      return write.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      T fresh = freshRead.get();
      if (fresh != null && alreadyDone.test(fresh)) {
        log.debug("{}: already done by someone else (conflict, then a fresh read)", step);
        return fresh;
      }
      Supplier<T> retry = fresh == null ? null : again.apply(fresh);
      if (retry != null) {
        log.debug("{}: conflict over another change, writing again on the fresh object", step);
        return retry.get();
      }
      throw e;
    }
  }
}
