package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch for built-in kinds: JSON merge patch, except that the well-known lists of the core
 * API merge element by element on their patch merge key, plus the directives {@code $patch},
 * {@code $retainKeys}, {@code $setElementOrder/<list>} and {@code $deleteFromPrimitiveList/<list>}.
 * Lists without a known merge key are replaced, as in Kubernetes.
 */
public final class StrategicMergePatch {

  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

  /** list field name -> merge key. {@code ports} is decided by its elements (containerPort or port). */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"), Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
      Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
      Map.entry("imagePullSecrets", "name"), Map.entry("ownerReferences", "uid"),
      Map.entry("conditions", "type"), Map.entry("hostAliases", "ip"),
      Map.entry("topologySpreadConstraints", "topologyKey"), Map.entry("resourceClaims", "name"),
      Map.entry("secrets", "name"), Map.entry("taints", "key"), Map.entry("addresses", "type"),
      Map.entry("readinessGates", "conditionType"), Map.entry("containerStatuses", "name"),
      Map.entry("initContainerStatuses", "name"));

  /** primitive lists with strategy merge (union). */
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

  public JsonNode apply(JsonNode original, JsonNode patch) {
    return mergeObject(original != null && original.isObject() ? (ObjectNode) original.deepCopy()
        : JsonNodeFactory.instance.objectNode(), (ObjectNode) patch);
  }

  private JsonNode mergeObject(ObjectNode target, ObjectNode patch) {
    String directive = patch.path(PATCH).asText("");
    if (directive.equals("delete")) {
      return null;
    }
    if (directive.equals("replace")) {
      ObjectNode replaced = patch.deepCopy();
      replaced.remove(PATCH);
      return stripDirectives(replaced);
    }
    List<String> names = new ArrayList<>();
    patch.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (name.startsWith("$")) {
        continue;
      }
      JsonNode value = patch.get(name);
      JsonNode current = target.get(name);
      if (value.isNull()) {
        target.remove(name);
      } else if (value.isObject()) {
        JsonNode merged = mergeObject(current != null && current.isObject() ? (ObjectNode) current
            : JsonNodeFactory.instance.objectNode(), (ObjectNode) value);
        if (merged == null) {
          target.remove(name);
        } else {
          target.set(name, merged);
        }
      } else if (value.isArray()) {
        target.set(name, mergeList(name, current, (ArrayNode) value));
      } else {
        target.set(name, value);
      }
    }
    for (String name : names) {
      if (name.startsWith(DELETE_PRIMITIVE)) {
        String list = name.substring(DELETE_PRIMITIVE.length());
        if (target.get(list) instanceof ArrayNode arr) {
          Set<JsonNode> gone = new HashSet<>();
          patch.get(name).forEach(gone::add);
          ArrayNode kept = JsonNodeFactory.instance.arrayNode();
          arr.forEach(e -> {
            if (!gone.contains(e)) {
              kept.add(e);
            }
          });
          target.set(list, kept);
        }
      } else if (name.startsWith(SET_ORDER)) {
        String list = name.substring(SET_ORDER.length());
        if (target.get(list) instanceof ArrayNode arr) {
          target.set(list, reorder(list, arr, (ArrayNode) patch.get(name)));
        }
      }
    }
    if (patch.get(RETAIN_KEYS) instanceof ArrayNode retain) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      for (Iterator<String> it = target.fieldNames(); it.hasNext();) {
        if (!keep.contains(it.next())) {
          it.remove();
        }
      }
    }
    return target;
  }

  private JsonNode mergeList(String field, JsonNode current, ArrayNode patch) {
    ArrayNode cur = current instanceof ArrayNode a ? a : JsonNodeFactory.instance.arrayNode();
    for (JsonNode e : patch) {
      if (e.isObject() && "replace".equals(e.path(PATCH).asText())) {
        ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
        patch.forEach(p -> {
          if (!(p.isObject() && p.has(PATCH))) {
            replaced.add(stripDirectives(p.deepCopy()));
          }
        });
        return replaced;
      }
    }
    String key = mergeKey(field, cur, patch);
    if (key == null) {
      if (MERGED_PRIMITIVE_LISTS.contains(field)) {
        ArrayNode out = cur.deepCopy();
        Set<JsonNode> have = new HashSet<>();
        cur.forEach(have::add);
        patch.forEach(p -> {
          if (have.add(p)) {
            out.add(p);
          }
        });
        return out;
      }
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      patch.forEach(p -> out.add(p.isObject() ? stripDirectives(p.deepCopy()) : p));
      return out;
    }
    ArrayNode out = cur.deepCopy();
    for (JsonNode p : patch) {
      if (!p.isObject()) {
        continue;
      }
      JsonNode id = p.get(key);
      int idx = indexOf(out, key, id);
      if ("delete".equals(p.path(PATCH).asText())) {
        if (idx >= 0) {
          out.remove(idx);
        }
        continue;
      }
      if (idx >= 0) {
        JsonNode merged = mergeObject((ObjectNode) out.get(idx), (ObjectNode) p);
        if (merged == null) {
          out.remove(idx);
        } else {
          out.set(idx, merged);
        }
      } else {
        JsonNode added = mergeObject(JsonNodeFactory.instance.objectNode(), (ObjectNode) p);
        if (added != null) {
          out.add(added);
        }
      }
    }
    return out;
  }

  private static String mergeKey(String field, ArrayNode current, ArrayNode patch) {
    if (field.equals("ports")) {
      boolean container = false;
      for (JsonNode e : current) {
        container |= e.has("containerPort");
      }
      for (JsonNode e : patch) {
        container |= e.has("containerPort");
      }
      return container ? "containerPort" : "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static int indexOf(ArrayNode list, String key, JsonNode id) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i).get(key);
      if (v != null && id != null && v.asText().equals(id.asText())) {
        return i;
      }
    }
    return -1;
  }

  private ArrayNode reorder(String field, ArrayNode list, ArrayNode order) {
    String key = mergeKey(field, list, JsonNodeFactory.instance.arrayNode());
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    List<JsonNode> remaining = new ArrayList<>();
    list.forEach(remaining::add);
    for (JsonNode o : order) {
      for (Iterator<JsonNode> it = remaining.iterator(); it.hasNext();) {
        JsonNode e = it.next();
        boolean same = key != null && o.isObject() ? e.path(key).asText().equals(o.path(key).asText())
            : e.equals(o);
        if (same) {
          out.add(e);
          it.remove();
          break;
        }
      }
    }
    remaining.forEach(out::add);
    return out;
  }

  private static JsonNode stripDirectives(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().startsWith("$")) {
          it.remove();
        } else {
          stripDirectives(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(StrategicMergePatch::stripDirectives);
    }
    return node;
  }
}
