package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/**
 * Schema only, never instantiated: {@code ObjectMeta} whose label values are bounded like
 * Kubernetes bounds them, swapped in for {@code spec.template.metadata} by {@link OrdinalSet}'s
 * {@code @SchemaSwap}. Every other field keeps ObjectMeta's schema.
 */
final class PodTemplateMetadataSchema extends ObjectMeta {
  @JsonProperty("labels")
  private Map<String, @Size(max = SchemaBounds.LABEL_VALUE_MAX_LENGTH) String> labels;

  private PodTemplateMetadataSchema() {}

  @Override
  public Map<String, String> getLabels() {
    return labels;
  }

  @Override
  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }
}
