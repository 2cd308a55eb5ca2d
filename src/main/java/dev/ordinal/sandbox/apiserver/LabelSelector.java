package dev.ordinal.sandbox.apiserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form, equality- and set-based:
 * {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a},
 * joined by commas.
 */
public final class LabelSelector {

  private enum Op { EQ, NEQ, IN, NOTIN, EXISTS, NOT_EXISTS }

  private record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQ, IN -> v != null && values.contains(v);
        case NEQ, NOTIN -> v == null || !values.contains(v);
        case EXISTS -> labels.containsKey(key);
        case NOT_EXISTS -> !labels.containsKey(key);
      };
    }
  }

  private static final Pattern SET = Pattern.compile("^\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*$");
  private static final Pattern EQ = Pattern.compile("^\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*$");
  private static final Pattern EXISTS = Pattern.compile("^\\s*(!?)\\s*([^\\s!=(),]+)\\s*$");

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /** @throws IllegalArgumentException when the selector cannot be parsed */
  public static LabelSelector parse(String selector) {
    List<Requirement> reqs = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return new LabelSelector(reqs);
    }
    for (String part : splitTopLevel(selector)) {
      Matcher m;
      if ((m = SET.matcher(part)).matches()) {
        Set<String> values = new java.util.HashSet<>();
        for (String v : m.group(3).split(",")) {
          if (!v.isBlank()) {
            values.add(v.trim());
          }
        }
        reqs.add(new Requirement(m.group(1), m.group(2).equals("in") ? Op.IN : Op.NOTIN, values));
      } else if ((m = EQ.matcher(part)).matches()) {
        reqs.add(new Requirement(m.group(1), m.group(2).equals("!=") ? Op.NEQ : Op.EQ, Set.of(m.group(3))));
      } else if ((m = EXISTS.matcher(part)).matches()) {
        reqs.add(new Requirement(m.group(2), m.group(1).isEmpty() ? Op.EXISTS : Op.NOT_EXISTS, Set.of()));
      } else {
        throw new IllegalArgumentException("unable to parse requirement: " + part.trim());
      }
    }
    return new LabelSelector(reqs);
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out.stream().filter(p -> !p.isBlank()).toList();
  }

  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(r -> r.matches(l));
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }
}
