package dev.ordinal.sandbox.admission;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.ordinal.sandbox.admission.FieldError.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates every {@code x-kubernetes-validations} rule of one CRD version's schema, at every
 * node where a value exists: {@code self} is the value at the node; rules under {@code items}
 * and {@code additionalProperties} apply to each element. Transition rules (those that mention
 * {@code oldSelf}) run only on update, and only where the old object has a value correlated
 * with the new one: same property name, same map key, or same keys in an
 * {@code x-kubernetes-list-type: map} list (elements of other lists are not correlated).
 *
 * <p>Programs are compiled once, when the evaluator is built.
 */
final class CelRuleEvaluator {
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  private static final Object ABSENT = new Object();

  private record CompiledRule(ValidationRuleSpec spec, CelRuntime.Program program,
      CelRuntime.Program messageExpression, boolean transition) {}

  private final StructuralSchema root;
  private final Map<StructuralSchema, List<CompiledRule>> rules = new IdentityHashMap<>();

  CelRuleEvaluator(StructuralSchema root, CelEnvironment env) {
    this.root = root;
    compileAll(root, env);
  }

  private void compileAll(StructuralSchema node, CelEnvironment env) {
    if (!node.rules().isEmpty()) {
      List<CompiledRule> compiled = new ArrayList<>();
      for (ValidationRuleSpec r : node.rules()) {
        checkDefinition(node, r);
        CelRuntime.Program message = r.messageExpression().isBlank() ? null
            : env.compile(r.messageExpression(), r.schemaPath() + " (messageExpression)");
        compiled.add(new CompiledRule(r, env.compile(r.rule(), r.schemaPath()), message,
            OLD_SELF.matcher(r.rule()).find()));
      }
      rules.put(node, List.copyOf(compiled));
    }
    node.properties().values().forEach(p -> compileAll(p, env));
    if (node.items() != null) {
      compileAll(node.items(), env);
    }
    if (node.additionalProperties() != null) {
      compileAll(node.additionalProperties(), env);
    }
  }

  private static final java.util.Set<String> REASONS =
      java.util.Set.of("FieldValueInvalid", "FieldValueRequired", "FieldValueForbidden", "FieldValueDuplicate");

  /** What the API server checks when the CRD is written: a known reason, a fieldPath that exists. */
  private static void checkDefinition(StructuralSchema node, ValidationRuleSpec r) {
    if (!REASONS.contains(r.reason())) {
      throw new IllegalArgumentException("CEL rule at " + r.schemaPath() + ": reason " + GoFormat.quote(r.reason())
          + " is not supported; supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\","
          + " \"FieldValueInvalid\", \"FieldValueRequired\"");
    }
    if (r.fieldPath().isBlank()) {
      return;
    }
    String relative = FieldPaths.appendRelative(FieldPaths.ROOT, r.fieldPath());
    StructuralSchema at = node;
    for (String step : relative.split("\\.")) {
      StructuralSchema next = at.properties().getOrDefault(step, at.additionalProperties());
      if (next == null) {
        throw new IllegalArgumentException("CEL rule at " + r.schemaPath() + ": fieldPath " + r.fieldPath()
            + " does not refer to a field of the schema");
      }
      at = next;
    }
  }

  /** Rule failures for {@code object}; {@code oldObject} is null on create. */
  List<FieldError> evaluate(Map<String, Object> object, Map<String, Object> oldObject) {
    List<FieldError> errors = new ArrayList<>();
    Object self = CelValues.root(root, object);
    Object old = oldObject == null ? ABSENT : CelValues.root(root, oldObject);
    walk(root, self, old, FieldPaths.ROOT, errors);
    return errors;
  }

  private void walk(StructuralSchema schema, Object value, Object old, String path, List<FieldError> errors) {
    if (schema == null || value == null) {
      return;
    }
    for (CompiledRule rule : rules.getOrDefault(schema, List.of())) {
      if (rule.transition() && (old == ABSENT || old == null)) {
        continue;
      }
      check(rule, schema, value, old, path, errors);
    }
    if (value instanceof Map<?, ?> map) {
      Map<?, ?> oldMap = old instanceof Map<?, ?> m ? m : Map.of();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = (String) e.getKey();
        Object oldChild = oldMap.containsKey(key) ? oldMap.get(key) : ABSENT;
        StructuralSchema property = schema.properties().get(key);
        if (property != null) {
          walk(property, e.getValue(), oldChild, FieldPaths.child(path, key), errors);
        } else if (schema.additionalProperties() != null) {
          walk(schema.additionalProperties(), e.getValue(), oldChild, FieldPaths.key(path, key), errors);
        }
      }
    } else if (value instanceof List<?> list && schema.items() != null) {
      for (int i = 0; i < list.size(); i++) {
        walk(schema.items(), list.get(i), correlated(schema, list.get(i), old), FieldPaths.index(path, i), errors);
      }
    }
  }

  /** The old element with the same map keys, for {@code x-kubernetes-list-type: map} lists. */
  private static Object correlated(StructuralSchema listSchema, Object element, Object oldList) {
    if (!"map".equals(listSchema.listType()) || !(oldList instanceof List<?> olds)
        || !(element instanceof Map<?, ?> e)) {
      return ABSENT;
    }
    for (Object o : olds) {
      if (o instanceof Map<?, ?> m && listSchema.listMapKeys().stream().allMatch(k -> Objects.equals(m.get(k), e.get(k)))) {
        return o;
      }
    }
    return ABSENT;
  }

  private static void check(CompiledRule rule, StructuralSchema schema, Object self, Object old, String path,
      List<FieldError> errors) {
    Map<String, Object> vars = new HashMap<>();
    vars.put(CelEnvironment.SELF, self);
    if (rule.transition()) {
      vars.put(CelEnvironment.OLD_SELF, old);
    }
    ValidationRuleSpec spec = rule.spec();
    String at = spec.fieldPath().isBlank() ? path : FieldPaths.appendRelative(path, spec.fieldPath());
    try {
      Object result = rule.program().eval(vars);
      if (!Boolean.TRUE.equals(result)) {
        errors.add(forReason(FieldPaths.display(at), schema.type(), message(rule, vars), spec.reason()));
      }
    } catch (CelEvaluationException e) {
      errors.add(new FieldError(FieldPaths.display(path), Type.INVALID, schema.type(), runtimeError(e, spec)));
    }
  }

  private static String message(CompiledRule rule, Map<String, Object> vars) {
    if (rule.messageExpression() != null) {
      try {
        if (rule.messageExpression().eval(vars) instanceof String s && !s.isBlank()) {
          return s.strip();
        }
      } catch (CelEvaluationException ignored) {
        // the API server falls back to message (or the default) as well
      }
    }
    ValidationRuleSpec spec = rule.spec();
    return spec.message().isBlank() ? "failed rule: " + spec.errorString() : spec.message().strip();
  }

  /** {@code fieldErrorForReason} of the API server. */
  private static FieldError forReason(String path, String type, String detail, String reason) {
    return switch (reason) {
      case "FieldValueForbidden" -> new FieldError(path, Type.FORBIDDEN, FieldError.OMITTED, detail);
      case "FieldValueRequired" -> new FieldError(path, Type.REQUIRED, FieldError.OMITTED, detail);
      // The API server drops the message for this reason and reports the schema type only.
      case "FieldValueDuplicate" -> new FieldError(path, Type.DUPLICATE, type, "");
      default -> new FieldError(path, Type.INVALID, type, detail);
    };
  }

  private static final Pattern NO_KEY = Pattern.compile("key '([^']*)' is not present in map");

  /** CEL-Java's runtime error in the wording cel-go gives the API server. */
  private static String runtimeError(CelEvaluationException e, ValidationRuleSpec spec) {
    String message = Objects.requireNonNullElse(e.getMessage(), "");
    if (message.contains("No matching overload")) {
      return "'no such overload': call arguments did not match a supported operator, function or macro"
          + " signature for rule: " + spec.errorString();
    }
    Matcher m = NO_KEY.matcher(message);
    String cause = m.find() ? "no such key: " + m.group(1)
        : message.replaceFirst("^evaluation error at <input>:\\d+: ", "");
    return cause + " evaluating rule: " + spec.errorString();
  }
}
