package dev.ordinal.revision;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ControllerRevision of a set records: only {@code spec.template}, as upstream's {@code
 * getPatch}, in the form of a patch that replaces the template:
 *
 * <pre>{"spec":{"template":{"$patch":"replace","metadata":{...},"spec":{...}}}}</pre>
 *
 * <p>The value is the canonical JSON text (keys sorted, nulls dropped), so two payloads are
 * {@link #equals equal} exactly when they record the same template, whatever order the API server
 * or a Map returned the keys in. Upstream compares {@code data.raw} bytes ({@code
 * history.EqualRevision}); Go's encoder sorts map keys, so this is the same rule.
 *
 * @param json canonical JSON text of the patch
 */
public record RevisionPayload(String json) {
  static final String PATCH_DIRECTIVE = "$patch";
  static final String REPLACE = "replace";

  /** Canonicalises {@code json}, so equality by value holds however the text was written. */
  public RevisionPayload {
    String text = Objects.requireNonNull(json, "json");
    json =
        PayloadJson.tree(text)
            .map(node -> PayloadJson.canonical(node).toString())
            .orElseThrow(() -> new IllegalArgumentException("revision payload is not JSON: " + text));
  }

  /** The payload recording {@code template} (upstream {@code getPatch}). */
  public static RevisionPayload of(PodTemplateSpec template) {
    Objects.requireNonNull(template, "template");
    JsonNode templateJson = PayloadJson.MAPPER.valueToTree(template);
    ObjectNode templateNode =
        templateJson.isObject() ? (ObjectNode) templateJson.deepCopy() : JsonNodeFactory.instance.objectNode();
    templateNode.put(PATCH_DIRECTIVE, REPLACE);
    ObjectNode spec = JsonNodeFactory.instance.objectNode();
    spec.set("template", templateNode);
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.set("spec", spec);
    return new RevisionPayload(PayloadJson.canonical(patch).toString());
  }

  /**
   * The payload a stored revision holds, normalised by reading its template back and recording it
   * again, so that a revision written by another writer (extra nulls, empty lists, key order)
   * still compares equal to the same template. Empty when the data holds no {@code spec.template}.
   */
  public static Optional<RevisionPayload> of(ControllerRevision revision) {
    return revision == null ? Optional.empty() : ofData(revision.getData());
  }

  /**
   * As {@link #of(ControllerRevision)}, for the {@code data} value alone: a {@link RawExtension} (as
   * fabric8 reads it), a Map, a JsonNode or a JSON string.
   */
  public static Optional<RevisionPayload> ofData(Object data) {
    return templateOfData(data).map(RevisionPayload::of);
  }

  /** The template this payload records (upstream {@code ApplyRevision}, restricted to the template). */
  public PodTemplateSpec template() {
    return templateOfData(json)
        .orElseThrow(() -> new IllegalStateException("payload holds no spec.template: " + json));
  }

  /**
   * The value to put in {@code ControllerRevision.data}: a {@link RawExtension} around a Map with
   * sorted keys, the shape fabric8 gives back when it reads a revision, so a created object and a
   * read one compare equal.
   */
  public RawExtension asData() {
    try {
      return new RawExtension(PayloadJson.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {}));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("canonical payload is not JSON: " + json, e);
    }
  }

  static Optional<PodTemplateSpec> templateOfData(Object data) {
    return PayloadJson.tree(data)
        .map(node -> node.path("spec").path("template"))
        .filter(JsonNode::isObject)
        .map(
            node -> {
              ObjectNode copy = ((ObjectNode) node).deepCopy();
              copy.remove(PATCH_DIRECTIVE);
              return copy;
            })
        .flatMap(RevisionPayload::toTemplate);
  }

  private static Optional<PodTemplateSpec> toTemplate(JsonNode node) {
    try {
      return Optional.of(PayloadJson.MAPPER.treeToValue(node, PodTemplateSpec.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
