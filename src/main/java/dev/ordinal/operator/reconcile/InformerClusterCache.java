package dev.ordinal.operator.reconcile;

import dev.ordinal.naming.Labels;
import dev.ordinal.observe.ClusterCache;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The cluster as the informers last saw it. Lookups by set use informer indexes, not scans. */
final class InformerClusterCache implements ClusterCache {
  static final String BY_SET = "by-set";
  private final EventSources sources;

  InformerClusterCache(EventSources sources) {
    this.sources = sources;
  }

  static String setKey(String namespace, String setName) {
    return namespace + "/" + setName;
  }

  static List<String> setKeyOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
    var labels = object.getMetadata().getLabels();
    String set = labels == null ? null : labels.get(Labels.SET_NAME);
    return set == null ? List.of() : List.of(setKey(object.getMetadata().getNamespace(), set));
  }

  @Override
  public Collection<Pod> podsLabelled(String namespace, String setName) {
    return sources.pods().byIndex(BY_SET, setKey(namespace, setName));
  }

  @Override
  public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return sources.claims().get(new ResourceID(name, namespace));
  }

  @Override
  public Collection<PersistentVolumeClaim> claimsLabelled(String namespace, String setName) {
    return sources.claims().byIndex(BY_SET, setKey(namespace, setName));
  }

  @Override
  public Collection<PersistentVolume> volumes() {
    return sources.volumes().list(v -> true).toList();
  }

  @Override
  public Collection<ControllerRevision> revisionsLabelled(String namespace, String setName) {
    return sources.revisions().byIndex(BY_SET, setKey(namespace, setName));
  }

  @Override
  public Collection<StorageClass> storageClasses() {
    return sources.storageClasses().list(v -> true).toList();
  }

  @Override
  public Collection<Node> nodes() {
    return sources.nodes().list(v -> true).toList();
  }

  /** The informers the reconciler reads. */
  record EventSources(
      InformerEventSource<Pod, dev.ordinal.api.v1alpha1.OrdinalSet> pods,
      FanOutInformerEventSource<PersistentVolumeClaim, dev.ordinal.api.v1alpha1.OrdinalSet> claims,
      FanOutInformerEventSource<PersistentVolume, dev.ordinal.api.v1alpha1.OrdinalSet> volumes,
      FanOutInformerEventSource<StorageClass, dev.ordinal.api.v1alpha1.OrdinalSet> storageClasses,
      InformerEventSource<Node, dev.ordinal.api.v1alpha1.OrdinalSet> nodes,
      InformerEventSource<ControllerRevision, dev.ordinal.api.v1alpha1.OrdinalSet> revisions) {
    StorageSources storage() {
      return new StorageSources(claims, volumes, storageClasses);
    }
  }
}
