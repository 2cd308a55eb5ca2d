package dev.ordinal.operator.statefulset;

import dev.ordinal.naming.OrdinalNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

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
    for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
      if (template.getMetadata() != null && template.getMetadata().getName() != null
          && OrdinalNames.ordinalOf(template.getMetadata().getName() + "-" + set.getMetadata().getName(),
              claim.getMetadata().getName()).isPresent()) {
        return true;
      }
    }
    return false;
  }
}
