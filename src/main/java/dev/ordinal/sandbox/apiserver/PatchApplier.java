package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Optional;

/** Applies a PATCH body of one of the patch media types to an object. */
public final class PatchApplier {

  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

  private final JsonMergePatch mergePatch;
  private final StrategicMergePatch strategicMergePatch;

  public PatchApplier(JsonMergePatch mergePatch, StrategicMergePatch strategicMergePatch) {
    this.mergePatch = mergePatch;
    this.strategicMergePatch = strategicMergePatch;
  }

  /**
   * @param customResource whether the object is a custom resource (no strategic merge patch, as in Kubernetes)
   * @return the patched object, or empty when the media type is not supported for this object (answer 415)
   */
  public Optional<JsonNode> apply(String contentType, JsonNode current, JsonNode patch, boolean customResource) {
    String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
    return switch (type) {
      case JSON_PATCH -> Optional.of(JsonPatch.apply(patch, current));
      case MERGE_PATCH -> Optional.of(mergePatch.apply(current, patch));
      case STRATEGIC_MERGE_PATCH -> customResource || !patch.isObject() ? Optional.empty()
          : Optional.of(strategicMergePatch.apply(current, patch));
      default -> Optional.empty();
    };
  }
}
