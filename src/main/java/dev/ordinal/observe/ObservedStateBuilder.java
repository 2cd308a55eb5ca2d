package dev.ordinal.observe;

import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.revision.Revisions;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Takes one consistent-enough snapshot of the caches for a set. */
public final class ObservedStateBuilder {
  private final ClusterCache cache;
  private final Revisions revisions;

  public ObservedStateBuilder(ClusterCache cache, Revisions revisions) {
    this.cache = cache;
    this.revisions = revisions;
  }

  /**
   * @param statusCurrentRevision the revision the set's status names as current: the one piece of
   *     status the operator reads back, as upstream does, because pods below a partition must be
   *     recreated from it even after every pod is gone (kubernetes#121534)
   * @param collisionCount the set's recorded hash collision count
   */
  public ObservedState observe(SetDefinition set, String statusCurrentRevision, int collisionCount, Instant now) {
    TreeMap<Integer, Pod> pods = new TreeMap<>();
    for (Pod pod : cache.podsLabelled(set.namespace(), set.name())) {
      // Foreign pods that match the labels but are not ours, or carry no ordinal, are ignored.
      if (!OwnerRefs.isControlledBy(pod.getMetadata().getOwnerReferences(), set.uid())) {
        continue;
      }
      OrdinalNames.ordinalOf(set.name(), pod.getMetadata().getName()).ifPresent(o -> pods.put(o, pod));
    }
    Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    for (PersistentVolumeClaim claim : cache.claimsLabelled(set.namespace(), set.name())) {
      claims.put(claim.getMetadata().getName(), claim);
    }
    // Claims are found by name too: a claim made before the set (or by a migrated StatefulSet) has no label.
    for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
      addByName(set, ordinal, claims);
    }
    for (int ordinal : pods.keySet()) {
      addByName(set, ordinal, claims);
    }
    return new ObservedState(
        set,
        pods,
        claims,
        byName(cache.volumes()),
        byName(cache.storageClasses()),
        byName(cache.nodes()),
        revisions.resolve(set, List.copyOf(cache.revisionsLabelled(set.namespace(), set.name())),
            List.copyOf(pods.values()), collisionCount, statusCurrentRevision),
        now);
  }

  private void addByName(SetDefinition set, int ordinal, Map<String, PersistentVolumeClaim> claims) {
    for (String template : set.claimTemplateNames()) {
      String name = OrdinalNames.claimName(template, set.name(), ordinal);
      if (!claims.containsKey(name)) {
        cache.claim(set.namespace(), name).ifPresent(c -> claims.put(name, c));
      }
    }
  }

  private static <T extends HasMetadata> Map<String, T> byName(java.util.Collection<T> items) {
    // Unmodifiable from the start, so ObservedState's defensive Map.copyOf returns it as is rather
    // than copying every PV of the cluster a second time on each reconcile.
    return items.stream().collect(Collectors.toUnmodifiableMap(i -> i.getMetadata().getName(), Function.identity(), (a, b) -> a));
  }
}
