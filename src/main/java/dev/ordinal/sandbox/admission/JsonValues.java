package dev.ordinal.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between Jackson trees and the plain Java values the validators work on. */
final class JsonValues {
  private JsonValues() {}

  /** A plain value: Map, List, String, Long, Double, BigInteger, Boolean or null. */
  static Object toJava(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), toJava(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(toJava(x)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.asText();
  }

  /** The JSON type name the Go validator reports ({@code integer}, {@code string}, ...). */
  static String goTypeName(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "null";
    }
    if (n.isIntegralNumber()) {
      return "integer";
    }
    if (n.isNumber()) {
      return "number";
    }
    if (n.isTextual()) {
      return "string";
    }
    if (n.isBoolean()) {
      return "boolean";
    }
    return n.isArray() ? "array" : "object";
  }
}
