package dev.ordinal.operator.statefulset;

import dev.ordinal.observe.ClusterCache;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The storage mode's view of the caches. It has no pods, revisions or nodes (the StatefulSet
 * controller keeps the pods, and claims of WaitForFirstConsumer classes are left to the
 * scheduler, which picks a volume for the node it chose); the claims of a set's desired ordinals
 * are found by name.
 */
final class StatefulSetClusterCache implements ClusterCache {
  private final StatefulSetEventSources sources;

  StatefulSetClusterCache(StatefulSetEventSources sources) {
    this.sources = sources;
  }

  @Override
  public Collection<Pod> podsLabelled(String namespace, String setName) {
    return List.of();
  }

  @Override
  public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return sources.shared().claims().get(new ResourceID(name, namespace));
  }

  @Override
  public Collection<PersistentVolumeClaim> claimsLabelled(String namespace, String setName) {
    return List.of();
  }

  @Override
  public Collection<PersistentVolume> volumes() {
    return sources.shared().volumes().list(v -> true).toList();
  }

  @Override
  public Collection<ControllerRevision> revisionsLabelled(String namespace, String setName) {
    return List.of();
  }

  @Override
  public Collection<StorageClass> storageClasses() {
    return sources.shared().storageClasses().list(v -> true).toList();
  }

  @Override
  public Collection<Node> nodes() {
    return List.of();
  }
}
