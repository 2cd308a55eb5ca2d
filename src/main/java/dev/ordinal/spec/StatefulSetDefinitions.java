package dev.ordinal.spec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.OrdinalSetSpec;
import dev.ordinal.api.v1alpha1.VolumeClaimUpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeReuseType;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an apps/v1 StatefulSet in storage mode as a set definition. An OrdinalSet's spec is a
 * superset of a StatefulSet's, so the StatefulSet's spec is read as one and judged by the same
 * {@link SpecValidator}; then the storage mode's own policies apply: claims grow in place when the
 * templates ask for more (a StatefulSet has no volumeClaimUpdateStrategy), and volumes are reused
 * when the set's annotation asks for it.
 */
public final class StatefulSetDefinitions {
  /** The label that puts a StatefulSet in storage mode. */
  public static final String STORAGE_LABEL = "ordinal.dev/storage";
  public static final String STORAGE_MANAGED = "managed";
  /** The annotation that asks for volumeReuse SameOrdinal. */
  public static final String VOLUME_REUSE_ANNOTATION = "ordinal.dev/volume-reuse";

  // Fields a newer apps/v1 adds are not ours to judge: ignore them rather than refuse the set.
  private final ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final SpecValidator validator = new SpecValidator();

  public static boolean isManaged(StatefulSet set) {
    Map<String, String> labels = set.getMetadata().getLabels();
    return labels != null && STORAGE_MANAGED.equals(labels.get(STORAGE_LABEL));
  }

  public SpecValidation read(StatefulSet statefulSet) {
    var meta = statefulSet.getMetadata();
    String reuseValue = meta.getAnnotations() == null ? null : meta.getAnnotations().get(VOLUME_REUSE_ANNOTATION);
    Optional<VolumeReuseType> reuse = volumeReuse(reuseValue);
    OrdinalSet asOrdinalSet = new OrdinalSet();
    asOrdinalSet.setMetadata(new ObjectMetaBuilder().withName(meta.getName()).withNamespace(meta.getNamespace())
        .withUid(meta.getUid()).withGeneration(meta.getGeneration()).build());
    try {
      asOrdinalSet.setSpec(statefulSet.getSpec() == null ? null : mapper.convertValue(statefulSet.getSpec(), OrdinalSetSpec.class));
    } catch (IllegalArgumentException unreadable) {
      return new SpecValidation(Optional.empty(), List.of("spec cannot be read: " + unreadable.getMessage()));
    }
    SpecValidation validation = validator.validate(asOrdinalSet);
    if (reuse.isEmpty()) {
      List<String> problems = new java.util.ArrayList<>(validation.problems());
      problems.add("annotation " + VOLUME_REUSE_ANNOTATION + " must be Never or SameOrdinal, not " + reuseValue);
      return new SpecValidation(Optional.empty(), problems);
    }
    if (!validation.isValid()) {
      return validation;
    }
    return new SpecValidation(Optional.of(validation.definition().orElseThrow()
        .as(SetKind.STATEFUL_SET, VolumeClaimUpdateStrategyType.InPlace, reuse.get())), List.of());
  }

  private static Optional<VolumeReuseType> volumeReuse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(VolumeReuseType.Never);
    }
    for (VolumeReuseType type : VolumeReuseType.values()) {
      if (type.name().equals(value.trim())) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
