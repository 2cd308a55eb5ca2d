package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Schema only, never instantiated: fabric8's {@code LabelSelector} with the bounds of
 * {@link SchemaBounds}, swapped in for {@code spec.selector} by {@link OrdinalSet}'s
 * {@code @SchemaSwap}. The Java model keeps using {@code LabelSelector}.
 */
final class LabelSelectorSchema {
  @JsonProperty("matchExpressions")
  @Size(max = SchemaBounds.MATCH_EXPRESSIONS_MAX_ITEMS)
  private List<Requirement> matchExpressions;

  @JsonProperty("matchLabels")
  @Size(max = SchemaBounds.MATCH_LABELS_MAX_PROPERTIES)
  private Map<String, @Size(max = SchemaBounds.LABEL_VALUE_MAX_LENGTH) String> matchLabels;

  private LabelSelectorSchema() {}

  /** fabric8's {@code LabelSelectorRequirement}, bounded. */
  static final class Requirement {
    @JsonProperty("key")
    @Size(max = SchemaBounds.LABEL_KEY_MAX_LENGTH)
    private String key;

    @JsonProperty("operator")
    private String operator;

    @JsonProperty("values")
    @Size(max = SchemaBounds.MATCH_EXPRESSION_VALUES_MAX_ITEMS)
    private List<@Size(max = SchemaBounds.LABEL_VALUE_MAX_LENGTH) String> values;

    private Requirement() {}
  }
}
