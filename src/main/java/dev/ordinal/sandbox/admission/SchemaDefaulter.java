package dev.ordinal.sandbox.admission;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Structural defaulting as the API server does it before validation: a property that is absent
 * gets the schema's {@code default}; a {@code null} where the schema is not {@code nullable} gets
 * the default, or is dropped when there is none. Defaults are applied top down, so a defaulted
 * object gets its own properties' defaults too.
 */
final class SchemaDefaulter {
  private SchemaDefaulter() {}

  /** A defaulted deep copy; the input is not changed. */
  static Map<String, Object> apply(StructuralSchema schema, Map<String, Object> object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) deepCopy(object);
    walk(schema, copy);
    return copy;
  }

  private static void walk(StructuralSchema schema, Object value) {
    if (schema == null) {
      return;
    }
    if (value instanceof Map<?, ?> raw) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) raw;
      schema.properties().forEach((name, property) -> {
        boolean present = map.containsKey(name);
        if ((!present || (map.get(name) == null && !property.nullable())) && property.defaultValue() != null) {
          map.put(name, JsonValues.toJava(property.defaultValue()));
        }
      });
      Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Object> e = it.next();
        StructuralSchema child = schema.properties().getOrDefault(e.getKey(), schema.additionalProperties());
        if (e.getValue() == null && child != null && !child.nullable()) {
          it.remove();
        } else {
          walk(child, e.getValue());
        }
      }
    } else if (value instanceof List<?> list) {
      list.forEach(v -> walk(schema.items(), v));
    }
  }

  private static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(deepCopy(v)));
      return out;
    }
    return value;
  }
}
