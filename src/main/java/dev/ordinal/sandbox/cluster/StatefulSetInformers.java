package dev.ordinal.sandbox.cluster;

import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ClusterCache;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The sandbox StatefulSet controller's informers, read as the {@link ClusterCache} our
 * ObservedStateBuilder observes through. Pods are found by name and namespace (the builder keeps
 * those the set controls); claims by name, as upstream's carry no label naming the set; nodes are
 * not needed, since nothing here binds a claim.
 */
final class StatefulSetInformers implements ClusterCache, AutoCloseable {
  private final List<SharedIndexInformer<?>> all = new ArrayList<>();
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final SharedIndexInformer<StorageClass> storageClasses;
  private final SharedIndexInformer<ControllerRevision> revisions;
  private final SharedIndexInformer<StatefulSet> sets;

  /**
   * Starts the informers, every dependent one before the sets' own, so that a set's first sync
   * already sees its pods and claims.
   *
   * @param changed called with a pod, claim, ControllerRevision or StatefulSet that was added, changed or deleted
   */
  StatefulSetInformers(KubernetesClient client, Consumer<Object> changed) {
    pods = add(client.pods().inAnyNamespace().inform(handler(changed)));
    claims = add(client.persistentVolumeClaims().inAnyNamespace().inform(handler(changed)));
    volumes = add(client.persistentVolumes().inform());
    storageClasses = add(client.storage().v1().storageClasses().inform());
    revisions = add(client.apps().controllerRevisions().inAnyNamespace().inform(handler(changed)));
    sets = add(client.apps().statefulSets().inAnyNamespace().inform(handler(changed)));
  }

  private <T> SharedIndexInformer<T> add(SharedIndexInformer<T> informer) {
    all.add(informer);
    return informer;
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<Object> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changed.accept(obj);
      }
    };
  }

  Optional<StatefulSet> set(String key) {
    return Optional.ofNullable(sets.getStore().getByKey(key));
  }

  List<StatefulSet> sets(String namespace) {
    return sets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  List<StatefulSet> sets() {
    return sets.getStore().list();
  }

  /** Pods in the namespace named {@code <setName>-<ordinal>}, whoever controls them. */
  @Override
  public Collection<Pod> podsLabelled(String namespace, String setName) {
    return pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
        .filter(p -> OrdinalNames.ordinalOf(setName, p.getMetadata().getName()).isPresent())
        .toList();
  }

  @Override
  public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return Optional.ofNullable(claims.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
  }

  @Override
  public Collection<PersistentVolumeClaim> claimsLabelled(String namespace, String setName) {
    return List.of();
  }

  @Override
  public Collection<PersistentVolume> volumes() {
    return volumes.getStore().list();
  }

  /** The revisions written for the set (labelled as our revision core labels them). */
  @Override
  public Collection<ControllerRevision> revisionsLabelled(String namespace, String setName) {
    return revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
        .filter(r -> r.getMetadata().getLabels() != null && setName.equals(r.getMetadata().getLabels().get(Labels.SET_NAME)))
        .toList();
  }

  @Override
  public Collection<StorageClass> storageClasses() {
    return storageClasses.getStore().list();
  }

  @Override
  public Collection<Node> nodes() {
    return List.of();
  }

  @Override
  public void close() {
    all.forEach(SharedIndexInformer::close);
  }
}
