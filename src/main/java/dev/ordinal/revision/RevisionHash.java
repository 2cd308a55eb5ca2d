package dev.ordinal.revision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A stable hash of a pod template, as upstream's ControllerRevision naming: FNV-1a 32 over a
 * canonical JSON form (object keys sorted, so map order from the API server does not matter),
 * folded with the collision count and encoded with Kubernetes' safe alphabet (no vowels, so
 * hashes never spell words).
 */
public final class RevisionHash {
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private final KubernetesSerialization serialization;

  public RevisionHash(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** The hash of a template; the revision name is {@code <set>-<hash>}. */
  public String hash(PodTemplateSpec template, int collisionCount) {
    JsonNode canonical = canonical(serialization.convertValue(template, JsonNode.class));
    int h = fnv1a(canonical.toString().getBytes(StandardCharsets.UTF_8));
    if (collisionCount > 0) {
      h = fnv1a(h, Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8));
    }
    return safeEncode(Integer.toUnsignedString(h));
  }

  public String revisionName(String setName, PodTemplateSpec template, int collisionCount) {
    return setName + "-" + hash(template, collisionCount);
  }

  private static JsonNode canonical(JsonNode node) {
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
    return node;
  }

  private static int fnv1a(byte[] bytes) {
    return fnv1a(0x811c9dc5, bytes);
  }

  private static int fnv1a(int seed, byte[] bytes) {
    int h = seed;
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    return h;
  }

  private static String safeEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
    }
    return out.toString();
  }

}
