package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.UpdateStrategyType;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Which revision an ordinal should run, and how many pods a rolling update may take down at once. */
public final class RollingUpdatePolicy {
  private RollingUpdatePolicy() {}

  /**
   * Upstream newVersionedStatefulSetPod, with the partition compared with the ordinal itself as the
   * StatefulSet API documents (upstream's code counts from ordinals.start, kubernetes#128529).
   * OnDelete has no partition: a recreated pod always gets the update revision.
   */
  public static boolean getsUpdateRevision(SetDefinition set, int ordinal) {
    return set.updateStrategy() == UpdateStrategyType.OnDelete || ordinal >= set.partition();
  }

  /** maxUnavailable as a pod count: a percentage of replicas rounds down, and at least one pod may go. */
  public static int maxUnavailable(SetDefinition set) {
    IntOrString value = set.maxUnavailable();
    if (value.getIntVal() != null) {
      return Math.max(1, value.getIntVal());
    }
    String percent = value.getStrVal().replace("%", "");
    return Math.max(1, (int) Math.floor(set.replicas() * Integer.parseInt(percent) / 100.0));
  }

  /** The rollout is finished once no ordinal is meant to stay on the current revision and every pod runs the update. */
  public static boolean coversEveryOrdinal(SetDefinition set) {
    return set.updateStrategy() == UpdateStrategyType.OnDelete || set.partition() <= set.start();
  }
}
