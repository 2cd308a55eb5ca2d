package dev.ordinal.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a CRD's structural schema that drive CEL evaluation and defaulting: types,
 * nesting, Kubernetes extensions, defaults and rules. Immutable; built once per CRD version.
 */
final class StructuralSchema {
  private final String type;
  private final Map<String, StructuralSchema> properties;
  private final StructuralSchema items;
  private final StructuralSchema additionalProperties;
  private final boolean preserveUnknownFields;
  private final boolean intOrString;
  private final boolean embeddedResource;
  private final boolean nullable;
  private final String listType;
  private final List<String> listMapKeys;
  private final JsonNode defaultValue;
  private final List<ValidationRuleSpec> rules;

  private StructuralSchema(JsonNode n, String path) {
    this.type = n.path("type").isTextual() ? n.get("type").asText() : null;
    Map<String, StructuralSchema> props = new LinkedHashMap<>();
    n.path("properties").properties().forEach(e ->
        props.put(e.getKey(), new StructuralSchema(e.getValue(), FieldPaths.child(path, e.getKey()))));
    this.properties = Collections.unmodifiableMap(props);
    this.items = n.path("items").isObject() ? new StructuralSchema(n.get("items"), path + "[*]") : null;
    this.additionalProperties = n.path("additionalProperties").isObject()
        ? new StructuralSchema(n.get("additionalProperties"), path + "[*]") : null;
    this.preserveUnknownFields = n.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    this.intOrString = n.path("x-kubernetes-int-or-string").asBoolean(false);
    this.embeddedResource = n.path("x-kubernetes-embedded-resource").asBoolean(false);
    this.nullable = n.path("nullable").asBoolean(false);
    this.listType = n.path("x-kubernetes-list-type").asText("atomic");
    List<String> keys = new ArrayList<>();
    n.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
    this.listMapKeys = List.copyOf(keys);
    this.defaultValue = n.get("default");
    List<ValidationRuleSpec> rs = new ArrayList<>();
    for (JsonNode r : n.path("x-kubernetes-validations")) {
      rs.add(new ValidationRuleSpec(r.path("rule").asText(), r.path("message").asText(""),
          r.path("messageExpression").asText(""), r.path("fieldPath").asText(""),
          r.path("reason").asText("FieldValueInvalid"), FieldPaths.display(path)));
    }
    this.rules = List.copyOf(rs);
  }

  /** Parses an {@code openAPIV3Schema} (as a Jackson tree). */
  static StructuralSchema parse(JsonNode openApiV3Schema) {
    return new StructuralSchema(openApiV3Schema, FieldPaths.ROOT);
  }

  /** The schema type as the API server reports it in CEL errors ({@code ""} for int-or-string). */
  String type() { return type == null ? "" : type; }
  Map<String, StructuralSchema> properties() { return properties; }
  StructuralSchema items() { return items; }
  StructuralSchema additionalProperties() { return additionalProperties; }
  boolean preserveUnknownFields() { return preserveUnknownFields; }
  boolean intOrString() { return intOrString; }
  boolean embeddedResource() { return embeddedResource; }
  boolean nullable() { return nullable; }
  String listType() { return listType; }
  List<String> listMapKeys() { return listMapKeys; }
  JsonNode defaultValue() { return defaultValue; }
  List<ValidationRuleSpec> rules() { return rules; }

  /** Every rule in this subtree, depth first. */
  List<ValidationRuleSpec> allRules() {
    List<ValidationRuleSpec> out = new ArrayList<>(rules);
    properties.values().forEach(p -> out.addAll(p.allRules()));
    if (items != null) {
      out.addAll(items.allRules());
    }
    if (additionalProperties != null) {
      out.addAll(additionalProperties.allRules());
    }
    return out;
  }
}
