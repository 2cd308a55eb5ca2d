package dev.ordinal.observe;

import dev.ordinal.revision.RevisionState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Everything one reconcile knows, read once from the informer caches. The planner decides from
 * this alone, never from the set's own status (status is a report, not memory).
 *
 * @param pods pods controlled by the set, by ordinal (in and out of the desired range)
 * @param claims claims named after the set's templates, by name, for every ordinal that has a pod
 *     or is desired, plus any claim labelled with the set's name
 * @param volumes every PersistentVolume, by name
 * @param revisions current and update revisions, and the ControllerRevision writes they need
 */
public record ObservedState(
    SetDefinition set,
    NavigableMap<Integer, Pod> pods,
    Map<String, PersistentVolumeClaim> claims,
    Map<String, PersistentVolume> volumes,
    Map<String, StorageClass> storageClasses,
    Map<String, Node> nodes,
    RevisionState revisions,
    Instant now) {

  public ObservedState {
    pods = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(pods));
    claims = Map.copyOf(claims);
    volumes = Map.copyOf(volumes);
    storageClasses = Map.copyOf(storageClasses);
    nodes = Map.copyOf(nodes);
  }

  /** The revision pods at or above the partition (and all new pods under OnDelete) get. */
  public String updateRevision() {
    return revisions.updateRevisionName();
  }

  /** The revision pods below the partition keep. */
  public String currentRevision() {
    return revisions.currentRevisionName();
  }
}
