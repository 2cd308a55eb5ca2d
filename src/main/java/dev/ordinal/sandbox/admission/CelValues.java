package dev.ordinal.sandbox.admission;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes a JSON value the way CEL rules see it on the API server: integers are {@code Long}
 * ({@code int}), {@code type: number} values are {@code Double}, fields the schema does not
 * declare are gone (the server prunes them) unless the object preserves unknown fields, and
 * the object itself and embedded resources expose {@code apiVersion}, {@code kind} and
 * {@code metadata.name}/{@code metadata.generateName} only.
 */
final class CelValues {
  private CelValues() {}

  /** The whole object, as the root rules see it. */
  static Object root(StructuralSchema schema, Map<String, Object> object) {
    return convert(schema, object, true);
  }

  static Object convert(StructuralSchema schema, Object value, boolean resourceRoot) {
    if (value == null) {
      return null;
    }
    if (schema == null) {
      return untyped(value);
    }
    if (value instanceof Map<?, ?> map) {
      return object(schema, map, resourceRoot || schema.embeddedResource());
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(convert(schema.items(), v, false)));
      return Collections.unmodifiableList(out);
    }
    return scalar(value, "number".equals(schema.type()));
  }

  private static Map<String, Object> object(StructuralSchema schema, Map<?, ?> map, boolean resource) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      StructuralSchema property = schema.properties().get(key);
      if (property != null) {
        out.put(key, convert(property, e.getValue(), false));
      } else if (schema.additionalProperties() != null) {
        out.put(key, convert(schema.additionalProperties(), e.getValue(), false));
      } else if (resource && (key.equals("apiVersion") || key.equals("kind"))) {
        out.put(key, e.getValue());
      } else if (resource && key.equals("metadata") && e.getValue() instanceof Map<?, ?> meta) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("name", "generateName")) {
          if (meta.get(k) != null) {
            m.put(k, meta.get(k));
          }
        }
        out.put(key, Collections.unmodifiableMap(m));
      } else if (schema.preserveUnknownFields()) {
        out.put(key, untyped(e.getValue()));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object untyped(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), untyped(v)));
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(untyped(v)));
      return Collections.unmodifiableList(out);
    }
    return scalar(value, false);
  }

  private static Object scalar(Object value, boolean asDouble) {
    if (value instanceof Number n) {
      if (asDouble || n instanceof Double || n instanceof Float || n instanceof BigDecimal) {
        return n.doubleValue();
      }
      if (n instanceof BigInteger b && b.bitLength() > 63) {
        return b.doubleValue();
      }
      return n.longValue();
    }
    return value;
  }
}
