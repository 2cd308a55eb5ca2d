package dev.ordinal.sandbox.admission;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API server checks, beside the schema, for a CRD with a scale subresource: the value at
 * {@code specReplicasPath} must be an int64 between 0 and 2^31-1 (apiextensions-apiserver's
 * {@code ValidateScaleSpec}), reported under the JSON path itself ({@code .spec.replicas}) after
 * the schema's errors and before the CEL rules', which it does not block.
 */
final class ScaleReplicasValidator {
  private static final long MAX_INT32 = Integer.MAX_VALUE;
  private final String jsonPath;
  private final List<String> fields;

  private ScaleReplicasValidator(String jsonPath) {
    this.jsonPath = jsonPath;
    this.fields = List.of(jsonPath.substring(1).split("\\."));
  }

  /** For a version whose scale subresource names this {@code .spec.replicas}-style path, if any. */
  static Optional<ScaleReplicasValidator> forPath(String specReplicasPath) {
    return specReplicasPath == null || !specReplicasPath.startsWith(".") ? Optional.empty()
        : Optional.of(new ScaleReplicasValidator(specReplicasPath));
  }

  Optional<FieldError> validate(Map<String, Object> object) {
    Object value = object;
    for (String field : fields) {
      if (!(value instanceof Map<?, ?> map) || !map.containsKey(field)) {
        return Optional.empty(); // absent: nothing to check, as unstructured.NestedInt64 finds nothing
      }
      value = map.get(field);
    }
    if (!isInt64(value)) {
      return Optional.of(new FieldError(jsonPath, FieldError.Type.INVALID, 0L,
          jsonPath + " accessor error: " + plain(value) + " is of the type " + goType(value) + ", expected int64"));
    }
    long replicas = ((Number) value).longValue();
    if (replicas < 0) {
      return Optional.of(new FieldError(jsonPath, FieldError.Type.INVALID, replicas, "should be a non-negative integer"));
    }
    if (replicas > MAX_INT32) {
      return Optional.of(new FieldError(jsonPath, FieldError.Type.INVALID, replicas, "should be less than or equal to " + MAX_INT32));
    }
    return Optional.empty();
  }

  /** Go's {@code %v}: strings bare, numbers as Go prints them. */
  private static String plain(Object value) {
    return value instanceof String s ? s : value instanceof Number || value instanceof Boolean ? GoFormat.number(value) : String.valueOf(value);
  }

  private static boolean isInt64(Object value) {
    return value instanceof Integer || value instanceof Long
        || (value instanceof BigInteger b && b.bitLength() < 64);
  }

  /** The Go type name a JSON value decodes to in unstructured content. */
  private static String goType(Object value) {
    if (value == null) {
      return "<nil>";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Number) {
      return "float64";
    }
    if (value instanceof Map) {
      return "map[string]interface {}";
    }
    return value instanceof List ? "[]interface {}" : value.getClass().getSimpleName();
  }
}
