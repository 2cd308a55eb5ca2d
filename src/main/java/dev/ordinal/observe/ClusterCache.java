package dev.ordinal.observe;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.Collection;
import java.util.Optional;

/** Read-only access to the informer caches; the operator implements it over JOSDK event sources. */
public interface ClusterCache {
  /** Pods labelled with the set's name, in its namespace. */
  Collection<Pod> podsLabelled(String namespace, String setName);

  Optional<PersistentVolumeClaim> claim(String namespace, String name);

  /** Claims labelled with the set's name, in its namespace. */
  Collection<PersistentVolumeClaim> claimsLabelled(String namespace, String setName);

  Collection<PersistentVolume> volumes();

  /** ControllerRevisions labelled with the set's name, in its namespace. */
  Collection<ControllerRevision> revisionsLabelled(String namespace, String setName);

  Collection<StorageClass> storageClasses();

  Collection<Node> nodes();
}
