package dev.ordinal.sandbox.admission;

import java.util.Objects;

/**
 * One validation failure, shaped like the API server's {@code field.Error}
 * (k8s.io/apimachinery/pkg/util/validation/field), and printed the way it prints.
 *
 * @param path the field path as Kubernetes prints it ({@code spec.replicas},
 *     {@code spec.volumeClaimTemplates[0].metadata.name}); {@code <nil>} for the object itself
 * @param type the kind of failure; {@link Type#display()} is the text kubectl shows
 * @param value the offending value (for CEL rules: the schema type of the node, as the API
 *     server reports it); {@link #OMITTED} when the message carries no value
 * @param detail the explanation, may be empty
 */
public record FieldError(String path, Type type, Object value, String detail) {

  /** Marker for "no value in the message" (Go's {@code omitValue}). */
  public static final Object OMITTED = new Object() {
    @Override public String toString() { return "<omitted>"; }
  };

  /** The error types of {@code field.ErrorType}, with the text each one prints. */
  public enum Type {
    REQUIRED("Required value"),
    INVALID("Invalid value"),
    /** A wrong JSON type; prints like INVALID but blocks CEL evaluation, as on a real server. */
    TYPE_INVALID("Invalid value"),
    NOT_SUPPORTED("Unsupported value"),
    DUPLICATE("Duplicate value"),
    FORBIDDEN("Forbidden"),
    TOO_LONG("Too long"),
    TOO_MANY("Too many"),
    INTERNAL("Internal error");

    private final String display;

    Type(String display) { this.display = display; }

    public String display() { return display; }

    @Override public String toString() { return display; }
  }

  public FieldError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    detail = detail == null ? "" : detail;
  }

  /** {@code <path>: <type>[: <value>][: <detail>]}, exactly as {@code field.Error.Error()}. */
  @Override
  public String toString() {
    return path + ": " + body();
  }

  /** {@code field.Error.ErrorBody()}: the message without the path. */
  public String body() {
    String s = switch (type) {
      case REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL -> type.display();
      default -> value == OMITTED ? type.display() : type.display() + ": " + GoFormat.value(value);
    };
    return detail.isEmpty() ? s : s + ": " + detail;
  }
}
