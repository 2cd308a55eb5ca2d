package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Kubernetes label-selector semantics (matchLabels AND matchExpressions), without a client. */
public final class SelectorMatcher {
  private SelectorMatcher() {}

  /**
   * Whether {@code labels} satisfy {@code selector}. A null or empty selector matches everything,
   * as for a claim's {@code spec.selector}. An unknown operator matches nothing, so a typo never
   * widens a selection.
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    Map<String, String> wanted = selector.getMatchLabels();
    if (wanted != null) {
      for (Map.Entry<String, String> e : wanted.entrySet()) {
        if (!Objects.equals(actual.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions != null) {
      for (LabelSelectorRequirement requirement : expressions) {
        if (!matches(requirement, actual)) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean isEmpty(LabelSelector selector) {
    return selector == null
        || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
            && (selector.getMatchExpressions() == null
                || selector.getMatchExpressions().isEmpty()));
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (String.valueOf(requirement.getOperator())) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(requirement.getKey());
      case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
      default -> false;
    };
  }
}
