package dev.ordinal.sandbox.admission;

/**
 * One {@code x-kubernetes-validations} entry of a schema node.
 *
 * @param rule the CEL expression
 * @param message the failure message, or empty (then {@code failed rule: <rule>} is shown)
 * @param messageExpression a CEL expression yielding the message, or empty
 * @param fieldPath the path the error is reported at, relative to the node, or empty
 * @param reason {@code FieldValueInvalid} (default), {@code FieldValueRequired},
 *     {@code FieldValueForbidden} or {@code FieldValueDuplicate}
 * @param schemaPath where the rule is declared, for diagnostics ({@code spec.updateStrategy})
 */
public record ValidationRuleSpec(
    String rule, String message, String messageExpression, String fieldPath, String reason, String schemaPath) {

  /** {@code ruleErrorString}: the message if there is one, else the rule. */
  String errorString() {
    return message.isBlank() ? rule.strip() : message.strip();
  }
}
