package dev.ordinal.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Admission of custom resources the way a Kubernetes API server does it for one CRD, for places
 * without one (the sandbox, tests): generic {@code metadata.name} checks, OpenAPI v3 schema
 * validation, the scale subresource's replicas check, then every {@code x-kubernetes-validations}
 * CEL rule, with errors in the server's
 * wording. Like the server, CEL rules are skipped when the schema already found a wrong type, a
 * missing required field, an unsupported enum value or a too long / too large value.
 *
 * <p>Everything is compiled once, in the constructor; instances are immutable and thread-safe.
 * Not emulated: validation ratcheting on update, CEL cost limits, Kubernetes-specific CEL
 * libraries (see {@link CelEnvironment}), list-type set/map uniqueness.
 */
public final class CustomResourceValidator {
  private final String group;
  private final Map<String, VersionValidator> versions = new LinkedHashMap<>();
  private final ObjectMapper mapper = new ObjectMapper();

  private record VersionValidator(StructuralSchema schema, SchemaValidator schemaValidator,
      java.util.Optional<ScaleReplicasValidator> scale, CelRuleEvaluator rules) {}

  /**
   * Builds validators for every served version of {@code crd}.
   *
   * @throws IllegalArgumentException when a served version has no schema or a CEL rule does not
   *     compile (the API server would refuse such a CRD)
   */
  public CustomResourceValidator(CustomResourceDefinition crd) {
    this.group = crd.getSpec().getGroup();
    CelEnvironment cel = new CelEnvironment();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      if (!Boolean.TRUE.equals(v.getServed())) {
        continue;
      }
      if (v.getSchema() == null || v.getSchema().getOpenAPIV3Schema() == null) {
        throw new IllegalArgumentException("version " + v.getName() + " has no openAPIV3Schema");
      }
      JsonNode openApi = mapper.valueToTree(v.getSchema().getOpenAPIV3Schema());
      StructuralSchema schema = StructuralSchema.parse(openApi);
      String replicasPath = v.getSubresources() == null || v.getSubresources().getScale() == null ? null
          : v.getSubresources().getScale().getSpecReplicasPath();
      versions.put(v.getName(), new VersionValidator(schema, new SchemaValidator(openApi),
          ScaleReplicasValidator.forPath(replicasPath), new CelRuleEvaluator(schema, cel)));
    }
  }

  /** The served versions, in CRD order. */
  public Set<String> servedVersions() {
    return new LinkedHashSet<>(versions.keySet());
  }

  /** Every CEL rule of a version's schema, depth first, as declared. */
  public List<ValidationRuleSpec> rules(String version) {
    return version(version).schema().allRules();
  }

  /**
   * Validates a create ({@code oldObjectOrNull == null}) or an update of a custom resource.
   *
   * @param version a served version of the CRD (the version part of {@code apiVersion})
   * @param object the resource as a JSON tree ({@code Map}s, {@code List}s, numbers, strings)
   * @param oldObjectOrNull the stored resource on update, or null on create
   * @return the errors in the order the API server reports them; empty when admitted
   */
  public List<FieldError> validate(String version, Map<String, Object> object, Map<String, Object> oldObjectOrNull) {
    Objects.requireNonNull(object, "object");
    VersionValidator v = version(version);
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidator.validate(object));
    errors.addAll(v.schemaValidator().validate(mapper.valueToTree(object)));
    boolean blocked = errors.stream().anyMatch(CustomResourceValidator::blocksRules);
    v.scale().flatMap(scale -> scale.validate(object)).ifPresent(errors::add);
    if (blocked) {
      errors.add(new FieldError("<nil>", FieldError.Type.INVALID, null,
          "some validation rules were not checked because the object was invalid; correct the existing"
              + " errors to complete validation"));
    } else {
      errors.addAll(v.rules().evaluate(object, oldObjectOrNull));
    }
    return List.copyOf(errors);
  }

  /** {@link #validate(String, Map, Map)} for fabric8 resources; the version comes from apiVersion. */
  public List<FieldError> validate(GenericKubernetesResource object, GenericKubernetesResource oldObjectOrNull) {
    String apiVersion = Objects.requireNonNull(object.getApiVersion(), "apiVersion");
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return validate(version, toMap(object), oldObjectOrNull == null ? null : toMap(oldObjectOrNull));
  }

  /**
   * The object with the schema's defaults applied, as the API server does before validating
   * (absent fields get their default; non-nullable nulls get it or are dropped). The input is
   * not modified.
   */
  public Map<String, Object> applyDefaults(String version, Map<String, Object> object) {
    return SchemaDefaulter.apply(version(version).schema(), object);
  }

  /**
   * The message of the API server's 422 Invalid status, e.g. {@code OrdinalSet.ordinal.dev "web"
   * is invalid: [spec.replicas: Invalid value: -1: ..., ...]}: brackets only around several
   * errors, identical messages once.
   *
   * @param kind the kind ({@code OrdinalSet}); the CRD's group is appended unless it has a dot
   */
  public String toStatusMessage(String kind, String name, List<FieldError> errors) {
    String qualified = kind.contains(".") || group.isEmpty() ? kind : kind + "." + group;
    Set<String> messages = new LinkedHashSet<>();
    errors.forEach(e -> messages.add(e.toString()));
    String aggregate;
    if (messages.size() == 1) {
      aggregate = messages.iterator().next();
    } else {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      messages.forEach(j::add);
      aggregate = j.toString();
    }
    return qualified + " " + GoFormat.quote(name) + " is invalid: " + aggregate;
  }

  private static boolean blocksRules(FieldError e) {
    return switch (e.type()) {
      case NOT_SUPPORTED, REQUIRED, TOO_LONG, TOO_MANY, TYPE_INVALID -> true;
      default -> false;
    };
  }

  private VersionValidator version(String version) {
    VersionValidator v = versions.get(version);
    if (v == null) {
      throw new IllegalArgumentException("version " + version + " of group " + group
          + " is not served; served: " + versions.keySet());
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> toMap(GenericKubernetesResource r) {
    return mapper.convertValue(r, Map.class);
  }
}
