package dev.ordinal.operator.statefulset;

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
    String name = claim.getMetadata().getName();
    if (set.getSpec() == null || set.getSpec().getVolumeClaimTemplates() == null
        || !set.getMetadata().getNamespace().equals(claim.getMetadata().getNamespace())) {
      return false;
    }
    for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
      if (template.getMetadata() == null || template.getMetadata().getName() == null) {
        continue;
      }
      String prefix = template.getMetadata().getName() + "-" + set.getMetadata().getName() + "-";
      if (name.length() > prefix.length() && name.startsWith(prefix) && isOrdinal(name.substring(prefix.length()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOrdinal(String s) {
    if (s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
