package dev.ordinal.status;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The string form of a label selector (metav1.FormatLabelSelector), for the scale subresource. */
public final class SelectorStrings {
  private SelectorStrings() {}

  public static String format(LabelSelector selector) {
    if (selector == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      new TreeMap<>(selector.getMatchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
    }
    if (selector.getMatchExpressions() != null) {
      for (var e : selector.getMatchExpressions()) {
        List<String> values = e.getValues() == null ? List.of() : e.getValues().stream().sorted().toList();
        switch (e.getOperator()) {
          case "In" -> parts.add(e.getKey() + " in (" + String.join(",", values) + ")");
          case "NotIn" -> parts.add(e.getKey() + " notin (" + String.join(",", values) + ")");
          case "Exists" -> parts.add(e.getKey());
          case "DoesNotExist" -> parts.add("!" + e.getKey());
          default -> { }
        }
      }
    }
    return String.join(",", parts);
  }
}
