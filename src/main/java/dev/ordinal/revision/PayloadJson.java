package dev.ordinal.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.model.jackson.GoCompatibilityModule;
import io.fabric8.kubernetes.model.jackson.UnmatchedFieldTypeModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The JSON handling the revision core needs, without a client: a mapper configured as fabric8's
 * {@code KubernetesSerialization} (non-null inclusion, unknown fields kept, Go-compatible numbers)
 * and a canonical form (object keys sorted, nulls dropped) so that two payloads compare equal
 * whatever order their maps came in.
 */
final class PayloadJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModules(new UnmatchedFieldTypeModule(), new GoCompatibilityModule())
          .setDefaultPropertyInclusion(
              JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PayloadJson() {}

  /**
   * Any form fabric8 may hand back for a ControllerRevision's {@code data} as a tree: a {@code
   * RawExtension} (what fabric8 7 reads) or other {@link AnyType} wrapper, a JsonNode, a Map, a
   * model object, or a JSON string. Empty when it is absent or not JSON.
   */
  static Optional<JsonNode> tree(Object data) {
    if (data == null) {
      return Optional.empty();
    }
    try {
      JsonNode node =
          switch (data) {
            case AnyType any -> tree(any.getValue()).orElse(null);
            case JsonNode n -> n;
            case String s -> MAPPER.readTree(s);
            case byte[] b -> MAPPER.readTree(b);
            default -> MAPPER.valueToTree(data);
          };
      return node == null || node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A deep copy with object keys sorted and null members dropped. */
  static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        JsonNode child = node.get(name);
        if (!child.isNull()) {
          sorted.set(name, canonical(child));
        }
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        array.add(canonical(it.next()));
      }
      return array;
    }
    return node.deepCopy();
  }
}
