package dev.ordinal.revision;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;

/**
 * A stable hash of a pod template, as upstream's ControllerRevision naming: FNV-1a 32 over a
 * canonical JSON form (object keys sorted, so map order from the API server does not matter),
 * folded with the collision count and encoded with Kubernetes' safe alphabet (no vowels, so
 * hashes never spell words).
 */
public final class RevisionHash {
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  /** The hash of a template; the revision name is {@code <set>-<hash>}. */
  public String hash(PodTemplateSpec template, int collisionCount) {
    JsonNode canonical = PayloadJson.canonical(PayloadJson.MAPPER.valueToTree(template));
    int h = fnv1a(canonical.toString().getBytes(StandardCharsets.UTF_8));
    if (collisionCount > 0) {
      h = fnv1a(h, Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8));
    }
    return safeEncode(Integer.toUnsignedString(h));
  }

  public String revisionName(String setName, PodTemplateSpec template, int collisionCount) {
    return setName + "-" + hash(template, collisionCount);
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
