package dev.ordinal.operator.reconcile;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

/**
 * The OrdinalSet controller's claim, volume and StorageClass informers, which the StatefulSet
 * storage mode shares. Claims carry one index of every claim not Bound ({@link #UNBOUND} under
 * {@link #ALL}), whoever made it: both controllers find their Pending claims there.
 */
public record StorageSources(
    FanOutInformerEventSource<PersistentVolumeClaim, OrdinalSet> claims,
    FanOutInformerEventSource<PersistentVolume, OrdinalSet> volumes,
    FanOutInformerEventSource<StorageClass, OrdinalSet> storageClasses) {
  public static final String UNBOUND = "unbound-claims";
  public static final String ALL = "all";

  /** True once all three have listed what they watch: before that the storage mode must not plan. */
  public boolean started() {
    return claims.isRunning() && volumes.isRunning() && storageClasses.isRunning();
  }
}
