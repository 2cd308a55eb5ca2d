package dev.ordinal.sandbox.admission;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders values the way the Go API server's error messages do ({@code %v}, {@code %q}). */
final class GoFormat {
  private GoFormat() {}

  /** A bad value in {@code field.Error.ErrorBody}: numbers and booleans bare, strings quoted. */
  static String value(Object v) {
    if (v == null) {
      return quote("null");
    }
    if (v instanceof String s) {
      return quote(s);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return number(v);
    }
    return goSyntax(v);
  }

  /** Go's {@code %v} for a number (float64 whole numbers print without a fraction). */
  static String number(Object v) {
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      double d = ((Number) v).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e21) {
        return BigDecimal.valueOf(d).toBigInteger().toString();
      }
      return Double.toString(d).replace("E", "e+").replace("e+-", "e-");
    }
    return String.valueOf(v);
  }

  /** Go's {@code strconv.Quote}. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** An approximation of Go's {@code %#v} for maps and slices decoded from JSON. */
  private static String goSyntax(Object v) {
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("map[string]interface {}{");
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        b.append(quote(String.valueOf(e.getKey()))).append(':').append(element(e.getValue()));
        if (it.hasNext()) {
          b.append(", ");
        }
      }
      return b.append('}').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[]interface {}{");
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(element(l.get(i)));
      }
      return b.append('}').toString();
    }
    return String.valueOf(v);
  }

  private static String element(Object v) {
    if (v == null) {
      return "interface {}(nil)";
    }
    if (v instanceof Number n && !(v instanceof BigInteger)) {
      return (v instanceof Double || v instanceof Float ? "float64(" : "int64(") + number(n) + ")";
    }
    return v instanceof String s ? quote(s) : goSyntax(v);
  }
}
