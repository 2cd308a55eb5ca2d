package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
    String templateName = template.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    if (set.selector() != null && set.selector().getMatchLabels() != null) {
      labels.putAll(set.selector().getMatchLabels());
    }
    labels.put(Labels.SET_NAME, set.name());
    labels.put(Labels.POD_INDEX, Integer.toString(ordinal));
    PersistentVolumeClaimSpec spec = new PersistentVolumeClaimSpecBuilder(template.getSpec()).build();
    if (spec.getStorageClassName() == null && defaultClass.isPresent()) {
      spec.setStorageClassName(defaultClass.get());
    }
    if (spec.getVolumeMode() == null) {
      spec.setVolumeMode("Filesystem");
    }
    var meta = new ObjectMetaBuilder()
        .withName(OrdinalNames.claimName(templateName, set.name(), ordinal))
        .withNamespace(set.namespace())
        .withLabels(labels);
    if (template.getMetadata().getAnnotations() != null && !template.getMetadata().getAnnotations().isEmpty()) {
      meta.withAnnotations(new LinkedHashMap<>(template.getMetadata().getAnnotations()));
    }
    if (set.whenDeleted() == RetentionPolicyType.Delete) {
      meta.withOwnerReferences(OwnerRefs.setOwnsClaim(set.name(), set.uid()));
    }
    return new PersistentVolumeClaimBuilder().withMetadata(meta.build()).withSpec(spec).build();
  }
}
