package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds the claim of one template and ordinal (upstream getPersistentVolumeClaims). */
public final class ClaimFactory {
  private ClaimFactory() {}

  /**
   * @param defaultClass the cluster's default StorageClass, resolved now so that the claim names
   *     its class explicitly and matching never depends on a later change of default
   */
  public static PersistentVolumeClaim newClaim(SetDefinition set, PersistentVolumeClaim template, int ordinal, Optional<String> defaultClass) {
    PersistentVolumeClaim claim = fromTemplate(set, template, ordinal, defaultClass,
        set.whenDeleted() == RetentionPolicyType.Delete ? OwnerRefs.setOwnsClaim(set.name(), set.uid()) : null);
    claim.getMetadata().getLabels().put(Labels.SET_NAME, set.name());
    claim.getMetadata().getLabels().put(Labels.POD_INDEX, Integer.toString(ordinal));
    if (claim.getSpec().getVolumeMode() == null) {
      claim.getSpec().setVolumeMode("Filesystem");
    }
    return claim;
  }

  /**
   * The claim a StatefulSet's own controller would create for a template and ordinal
   * (getPersistentVolumeClaims and updateClaimOwnerRefForSetAndPod): the template's labels with the
   * set's matchLabels over them, no label of ours, and the set as owner under whenDeleted: Delete.
   * That controller then finds its claim as it would have made it and adopts it without a write.
   */
  public static PersistentVolumeClaim newStatefulSetClaim(SetDefinition set, PersistentVolumeClaim template, int ordinal,
      Optional<String> defaultClass) {
    return fromTemplate(set, template, ordinal, defaultClass,
        set.whenDeleted() == RetentionPolicyType.Delete ? OwnerRefs.statefulSetOwnsClaim(set.name(), set.uid()) : null);
  }

  /** Name, namespace, the template's labels with the set's matchLabels over them, its annotations and spec, the owner. */
  private static PersistentVolumeClaim fromTemplate(SetDefinition set, PersistentVolumeClaim template, int ordinal,
      Optional<String> defaultClass, OwnerReference ownerOrNull) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    if (set.selector() != null && set.selector().getMatchLabels() != null) {
      labels.putAll(set.selector().getMatchLabels());
    }
    PersistentVolumeClaimSpec spec = new PersistentVolumeClaimSpecBuilder(template.getSpec()).build();
    if (spec.getStorageClassName() == null && defaultClass.isPresent()) {
      // What the DefaultStorageClass admission plugin would write; matching never depends on a later change of default.
      spec.setStorageClassName(defaultClass.get());
    }
    var meta = new ObjectMetaBuilder()
        .withName(OrdinalNames.claimName(template.getMetadata().getName(), set.name(), ordinal))
        .withNamespace(set.namespace())
        .withLabels(labels);
    if (template.getMetadata().getAnnotations() != null && !template.getMetadata().getAnnotations().isEmpty()) {
      meta.withAnnotations(new LinkedHashMap<>(template.getMetadata().getAnnotations()));
    }
    if (ownerOrNull != null) {
      meta.withOwnerReferences(ownerOrNull);
    }
    return new PersistentVolumeClaimBuilder().withMetadata(meta.build()).withSpec(spec).build();
  }
}
