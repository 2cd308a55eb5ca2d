package dev.ordinal.operator.statefulset;

import dev.ordinal.naming.OrdinalNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;

/**
 * Which StatefulSet a claim belongs to, by its name alone ({@code <template>-<set>-<ordinal>}): the
 * claims a StatefulSet's controller creates carry no label naming the set, and ours are made the
 * same way.
 */
final class StatefulSetClaimNames {
  private StatefulSetClaimNames() {}

  static boolean belongsTo(PersistentVolumeClaim claim, StatefulSet set) {
    if (set.getSpec() == null || set.getSpec().getVolumeClaimTemplates() == null
        || !set.getMetadata().getNamespace().equals(claim.getMetadata().getNamespace())) {
      return false;
    }
    List<String> templates = set.getSpec().getVolumeClaimTemplates().stream()
        .filter(t -> t.getMetadata() != null && t.getMetadata().getName() != null)
        .map(t -> t.getMetadata().getName()).toList();
    return OrdinalNames.ordinalOfClaim(templates, set.getMetadata().getName(), claim.getMetadata().getName()).isPresent();
  }
}
