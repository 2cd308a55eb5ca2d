package dev.ordinal.sandbox.admission;

import dev.ordinal.sandbox.admission.FieldError.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API server's generic checks of a custom resource's {@code metadata.name}
 * ({@code ValidateObjectMetaAccessor} with a DNS-1123 subdomain name), which run before the
 * CRD's own schema and rules.
 */
final class ObjectMetaValidator {
  private static final String SUBDOMAIN_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern SUBDOMAIN = Pattern.compile("^" + SUBDOMAIN_FMT + "$");
  private static final int SUBDOMAIN_MAX = 253;

  private ObjectMetaValidator() {}

  static List<FieldError> validate(Map<String, Object> object) {
    List<FieldError> errors = new ArrayList<>();
    Object meta = object.get("metadata");
    Object name = meta instanceof Map<?, ?> m ? m.get("name") : null;
    Object generateName = meta instanceof Map<?, ?> m ? m.get("generateName") : null;
    if (name == null || name.toString().isEmpty()) {
      if (generateName == null || generateName.toString().isEmpty()) {
        errors.add(new FieldError("metadata.name", Type.REQUIRED, FieldError.OMITTED,
            "name or generateName is required"));
      }
      return errors;
    }
    String n = name.toString();
    if (n.length() > SUBDOMAIN_MAX) {
      errors.add(new FieldError("metadata.name", Type.INVALID, n,
          "must be no more than " + SUBDOMAIN_MAX + " characters"));
    }
    if (!SUBDOMAIN.matcher(n).matches()) {
      errors.add(new FieldError("metadata.name", Type.INVALID, n,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
              + " and must start and end with an alphanumeric character (e.g. 'example.com', regex used for"
              + " validation is '" + SUBDOMAIN_FMT + "')"));
    }
    return errors;
  }
}
