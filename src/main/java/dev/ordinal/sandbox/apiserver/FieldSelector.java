package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector ({@code a.b=c}, {@code a.b==c}, {@code a.b!=c}, comma-joined) evaluated against the
 * object's JSON: any dotted path works, so {@code metadata.name}, {@code involvedObject.name},
 * {@code spec.nodeName} and {@code status.phase} are all supported. A missing field compares as "".
 */
public final class FieldSelector {

  private record Requirement(String path, boolean equal, String value) {
    boolean matches(JsonNode object) {
      JsonNode n = object;
      for (String p : path.split("\\.")) {
        n = n == null ? null : n.get(p);
      }
      String actual = n == null || n.isNull() ? "" : n.asText();
      return equal == actual.equals(value);
    }
  }

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public static FieldSelector parse(String selector) {
    List<Requirement> reqs = new ArrayList<>();
    if (selector != null) {
      for (String part : selector.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        int ne = part.indexOf("!=");
        if (ne > 0) {
          reqs.add(new Requirement(part.substring(0, ne).trim(), false, part.substring(ne + 2).trim()));
          continue;
        }
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("invalid field selector: " + part);
        }
        String value = part.substring(eq + 1);
        if (value.startsWith("=")) {
          value = value.substring(1);
        }
        reqs.add(new Requirement(part.substring(0, eq).trim(), true, value.trim()));
      }
    }
    return new FieldSelector(reqs);
  }

  public boolean matches(JsonNode object) {
    return requirements.stream().allMatch(r -> r.matches(object));
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }
}
