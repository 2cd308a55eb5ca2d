package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Schema only, never instantiated: {@code ObjectMeta} whose name is bounded to an object name's
 * 253 characters, swapped in for {@code spec.volumeClaimTemplates[].metadata} by
 * {@link OrdinalSet}'s {@code @SchemaSwap}. The CEL rule still asks for a DNS label of at most 63
 * (with its own message); this bound only caps what the rules' cost estimate must assume.
 */
final class ClaimTemplateMetadataSchema extends ObjectMeta {
  @JsonProperty("name")
  @Size(max = SchemaBounds.OBJECT_NAME_MAX_LENGTH)
  private String name;

  private ClaimTemplateMetadataSchema() {}

  @Override
  public String getName() {
    return name;
  }

  @Override
  public void setName(String name) {
    this.name = name;
  }
}
