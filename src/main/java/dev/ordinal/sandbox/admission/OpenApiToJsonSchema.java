package dev.ordinal.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Turns a CRD's OpenAPI v3 {@code openAPIV3Schema} into an equivalent JSON Schema (draft 4, whose
 * {@code exclusiveMinimum}/{@code exclusiveMaximum} are booleans as in OpenAPI 3.0).
 *
 * <ul>
 *   <li>{@code x-kubernetes-int-or-string} becomes {@code type: [integer, string]} (its
 *       {@code anyOf} only restates that);</li>
 *   <li>{@code nullable: true} adds {@code null} to the type (and to an {@code enum});</li>
 *   <li>documentation, {@code default}, {@code format} and other {@code x-kubernetes-*}
 *       keywords are dropped: they do not reject values. Unknown fields are allowed everywhere,
 *       because the API server prunes them rather than rejecting them.</li>
 * </ul>
 */
final class OpenApiToJsonSchema {
  private static final Set<String> VALUE_KEYWORDS = Set.of(
      "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
      "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf", "minProperties", "maxProperties",
      "required");
  private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf");

  private OpenApiToJsonSchema() {}

  static ObjectNode convert(JsonNode openApi) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    boolean intOrString = openApi.path("x-kubernetes-int-or-string").asBoolean(false);
    boolean nullable = openApi.path("nullable").asBoolean(false);
    for (Map.Entry<String, JsonNode> e : openApi.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (VALUE_KEYWORDS.contains(k)) {
        out.set(k, v.deepCopy());
      } else if (k.equals("type") && !intOrString) {
        out.set(k, v.deepCopy());
      } else if (k.equals("properties")) {
        ObjectNode props = out.putObject("properties");
        v.properties().forEach(p -> props.set(p.getKey(), convert(p.getValue())));
      } else if (k.equals("items") || k.equals("not")) {
        out.set(k, convert(v));
      } else if (k.equals("additionalProperties")) {
        out.set(k, v.isObject() ? convert(v) : v.deepCopy());
      } else if (SCHEMA_LISTS.contains(k) && !intOrString) {
        ArrayNode list = out.putArray(k);
        v.forEach(s -> list.add(convert(s)));
      }
    }
    if (intOrString) {
      out.set("type", f.arrayNode().add("integer").add("string"));
    }
    if (nullable) {
      allowNull(out, f);
    }
    return out;
  }

  private static void allowNull(ObjectNode out, JsonNodeFactory f) {
    JsonNode type = out.get("type");
    if (type != null && type.isTextual()) {
      out.set("type", f.arrayNode().add(type.asText()).add("null"));
    } else if (type != null && type.isArray()) {
      ((ArrayNode) type).add("null");
    }
    if (out.get("enum") instanceof ArrayNode values) {
      values.addNull();
    }
  }
}
