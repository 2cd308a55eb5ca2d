package dev.ordinal.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ordinal.sandbox.admission.FieldError.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * OpenAPI v3 value validation of one CRD version's schema (types, bounds, enums, required,
 * patterns, lengths, item counts), with errors worded as the API server words them
 * (k8s.io/apiextensions-apiserver {@code ValidateCustomResource} over go-openapi).
 */
final class SchemaValidator {
  private final JsonNode jsonSchemaTree;
  private final JsonSchema schema;

  SchemaValidator(JsonNode openApiV3Schema) {
    this.jsonSchemaTree = OpenApiToJsonSchema.convert(openApiV3Schema);
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(jsonSchemaTree);
  }

  List<FieldError> validate(JsonNode object) {
    List<FieldError> errors = new ArrayList<>();
    for (ValidationMessage m : schema.validate(object)) {
      errors.add(toFieldError(m));
    }
    return errors;
  }

  private FieldError toFieldError(ValidationMessage m) {
    String path = path(m.getInstanceLocation());
    String in = FieldPaths.display(path) + " in body";
    JsonNode instance = m.getInstanceNode();
    JsonNode keyword = m.getSchemaNode();
    JsonNode owner = schemaOwning(m.getEvaluationPath());
    Object value = JsonValues.toJava(instance);
    return switch (m.getType()) {
      case "type" -> new FieldError(FieldPaths.display(path), Type.TYPE_INVALID, JsonValues.goTypeName(instance),
          in + " must be of type " + declaredType(keyword) + ": " + GoFormat.quote(JsonValues.goTypeName(instance)));
      case "required" -> new FieldError(FieldPaths.display(FieldPaths.child(path, m.getProperty())),
          Type.REQUIRED, FieldError.OMITTED, "");
      case "enum" -> new FieldError(FieldPaths.display(path), Type.NOT_SUPPORTED, value, supportedValues(keyword));
      case "minimum" -> new FieldError(FieldPaths.display(path), Type.INVALID, value,
          in + (exclusive(owner, "exclusiveMinimum") ? " should be greater than " : " should be greater than or equal to ")
              + GoFormat.number(JsonValues.toJava(keyword)));
      case "maximum" -> new FieldError(FieldPaths.display(path), Type.INVALID, value,
          in + (exclusive(owner, "exclusiveMaximum") ? " should be less than " : " should be less than or equal to ")
              + GoFormat.number(JsonValues.toJava(keyword)));
      case "pattern" -> new FieldError(FieldPaths.display(path), Type.INVALID, value,
          in + " should match '" + keyword.asText() + "'");
      case "maxLength" -> new FieldError(FieldPaths.display(path), Type.TOO_LONG, FieldError.OMITTED,
          "may not be more than " + keyword.asLong() + (keyword.asLong() == 1 ? " byte" : " bytes"));
      case "minLength" -> new FieldError(FieldPaths.display(path), Type.INVALID, value,
          in + " should be at least " + keyword.asLong() + " chars long");
      case "maxItems", "maxProperties" -> new FieldError(FieldPaths.display(path), Type.TOO_MANY,
          (long) instance.size(), "must have at most " + keyword.asLong() + (keyword.asLong() == 1 ? " item" : " items"));
      case "minItems" -> new FieldError(FieldPaths.display(path), Type.INVALID, (long) instance.size(),
          in + " should have at least " + keyword.asLong() + " items");
      case "minProperties" -> new FieldError(FieldPaths.display(path), Type.INVALID, (long) instance.size(),
          in + " should have at least " + keyword.asLong() + " properties");
      case "multipleOf" -> new FieldError(FieldPaths.display(path), Type.INVALID, value,
          in + " should be a multiple of " + GoFormat.number(JsonValues.toJava(keyword)));
      case "uniqueItems" -> new FieldError(FieldPaths.display(path), Type.INVALID, value,
          in + " shouldn't contain duplicates");
      case "anyOf" -> new FieldError(FieldPaths.display(path), Type.INVALID, "", in + " must validate at least one schema (anyOf)");
      case "oneOf" -> new FieldError(FieldPaths.display(path), Type.INVALID, "", in + " must validate one and only one schema (oneOf)");
      case "allOf" -> new FieldError(FieldPaths.display(path), Type.INVALID, "", in + " must validate all the schemas (allOf)");
      case "not" -> new FieldError(FieldPaths.display(path), Type.INVALID, "", in + " must not validate the schema (not)");
      default -> new FieldError(FieldPaths.display(path), Type.INVALID, value, m.getMessage());
    };
  }

  private static String path(JsonNodePath location) {
    String path = FieldPaths.ROOT;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path = element instanceof Integer index ? FieldPaths.index(path, index) : FieldPaths.child(path, (String) element);
    }
    return path;
  }

  /** The schema object that holds the failing keyword (the evaluation path minus the keyword). */
  private JsonNode schemaOwning(JsonNodePath evaluationPath) {
    JsonNode node = jsonSchemaTree;
    for (int i = 0; i < evaluationPath.getNameCount() - 1 && node != null; i++) {
      Object element = evaluationPath.getElement(i);
      node = element instanceof Integer index ? node.get(index) : node.get((String) element);
    }
    return node;
  }

  private static boolean exclusive(JsonNode owner, String keyword) {
    return owner != null && owner.path(keyword).asBoolean(false);
  }

  private static String declaredType(JsonNode type) {
    if (type == null) {
      return "";
    }
    if (!type.isArray()) {
      return type.asText();
    }
    StringJoiner j = new StringJoiner(",");
    type.forEach(t -> {
      if (!t.asText().equals("null")) {
        j.add(t.asText());
      }
    });
    return j.toString();
  }

  /** {@code field.NotSupported}: strings as they are, other values as JSON, all quoted. */
  private static String supportedValues(JsonNode values) {
    StringJoiner j = new StringJoiner(", ", "supported values: ", "");
    values.forEach(v -> j.add(GoFormat.quote(v.isTextual() ? v.asText() : v.toString())));
    return j.toString();
  }
}
