package dev.ordinal.sandbox.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OrdinalSet CRD (as checked in under crds/) admitted by {@link CustomResourceValidator}: what
 * a real API server accepts passes, and what it rejects is rejected with its wording.
 */
public class CustomResourceValidatorTest {
  static final Path CRD = Path.of("crds/ordinalsets.ordinal.dev-v1.yml");
  static final String V = "v1alpha1";
  /** The seeds' web set as a manifest; other suites start their bad inputs from it too. */
  public static final String WEB = """
      apiVersion: ordinal.dev/v1alpha1
      kind: OrdinalSet
      metadata: {name: web, namespace: default}
      spec:
        serviceName: "nginx"
        replicas: 2
        selector: {matchLabels: {app: nginx}}
        template:
          metadata: {labels: {app: nginx}}
          spec:
            containers:
            - name: nginx
              image: nginx:1.9.1
              ports: [{containerPort: 80, name: web}]
              volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
        volumeClaimTemplates:
        - metadata: {name: www}
          spec:
            accessModes: [ReadWriteOnce]
            storageClassName: manual
            resources: {requests: {storage: 1Gi}}
      """;

  // immutable and thread-safe: one per class, so the CEL programs are compiled once
  private static final CustomResourceValidator VALIDATOR = new CustomResourceValidator(loadCrd());

  /** A named edit of the web example, and (for invalid ones) a fragment of the expected message. */
  record Case(String name, Consumer<Map<String, Object>> edit, String expected) {
    @Override public String toString() { return name; }
  }

  static Stream<Case> validSpecs() {
    return Stream.of(
        valid("the canonical web example", o -> {}),
        valid("Parallel pod management", o -> set(o, "spec.podManagementPolicy", "Parallel")),
        valid("OnDelete without rollingUpdate", o -> set(o, "spec.updateStrategy", Map.of("type", "OnDelete"))),
        valid("RollingUpdate with partition and maxUnavailable 2", o -> set(o, "spec.updateStrategy",
            Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", 1, "maxUnavailable", 2)))),
        valid("maxUnavailable 50%", o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("maxUnavailable", "50%"))),
        valid("maxUnavailable 100%", o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("maxUnavailable", "100%"))),
        valid("matchExpressions In and Exists that match the template", o -> set(o, "spec.selector", Map.of(
            "matchExpressions", List.of(
                Map.of("key", "app", "operator", "In", "values", List.of("nginx", "web")),
                Map.of("key", "app", "operator", "Exists"))))),
        valid("matchExpressions NotIn and DoesNotExist that match the template", o -> set(o, "spec.selector", Map.of(
            "matchLabels", Map.of("app", "nginx"),
            "matchExpressions", List.of(
                Map.of("key", "app", "operator", "NotIn", "values", List.of("db")),
                Map.of("key", "tier", "operator", "DoesNotExist"))))),
        valid("no volumeClaimTemplates", o -> remove(o, "spec.volumeClaimTemplates")),
        valid("two distinct claim templates", o -> addClaimTemplate(o, "data")),
        valid("ordinals.start with replicas at the int32 limit",
            o -> { set(o, "spec.ordinals", Map.of("start", 2147483640)); set(o, "spec.replicas", 7); }),
        valid("a 52 character name", o -> set(o, "metadata.name", "a".repeat(52))),
        valid("retention policy Delete/Retain and our storage strategies", o -> {
          set(o, "spec.persistentVolumeClaimRetentionPolicy", Map.of("whenDeleted", "Delete", "whenScaled", "Retain"));
          set(o, "spec.volumeClaimUpdateStrategy", Map.of("type", "Never"));
          set(o, "spec.volumeReuse", Map.of("type", "SameOrdinal"));
        }),
        valid("a status the operator wrote", o -> set(o, "status", Map.of("replicas", 2, "readyReplicas", 1,
            "selector", "app=nginx", "conditions", List.of(Map.of("type", "Available", "status", "True"))))));
  }

  static Stream<Case> invalidSpecs() {
    return Stream.of(
        invalid("negative replicas", o -> set(o, "spec.replicas", -1),
            "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        invalid("negative partition", o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("partition", -1)),
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: spec.updateStrategy.rollingUpdate.partition"
                + " in body should be greater than or equal to 0"),
        invalid("negative minReadySeconds", o -> set(o, "spec.minReadySeconds", -5),
            "spec.minReadySeconds: Invalid value: -5: spec.minReadySeconds in body should be greater than or equal to 0"),
        invalid("negative revisionHistoryLimit", o -> set(o, "spec.revisionHistoryLimit", -1),
            "spec.revisionHistoryLimit: Invalid value: -1: spec.revisionHistoryLimit in body should be greater than or equal to 0"),
        invalid("negative ordinals.start", o -> set(o, "spec.ordinals", Map.of("start", -1)),
            "spec.ordinals.start: Invalid value: -1: spec.ordinals.start in body should be greater than or equal to 0"),
        invalid("replicas as the string two", o -> set(o, "spec.replicas", "two"),
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
        invalid("unknown podManagementPolicy", o -> set(o, "spec.podManagementPolicy", "Random"),
            "spec.podManagementPolicy: Unsupported value: \"Random\": supported values: \"OrderedReady\", \"Parallel\""),
        invalid("unknown updateStrategy.type", o -> set(o, "spec.updateStrategy", Map.of("type", "Canary")),
            "spec.updateStrategy.type: Unsupported value: \"Canary\": supported values: \"OnDelete\", \"RollingUpdate\""),
        invalid("rollingUpdate with OnDelete", o -> set(o, "spec.updateStrategy",
                Map.of("type", "OnDelete", "rollingUpdate", Map.of("partition", 1))),
            "spec.updateStrategy: Forbidden: rollingUpdate may only be set when type is RollingUpdate"),
        invalid("maxUnavailable 0", o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("maxUnavailable", 0)),
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"\": maxUnavailable must be an integer"
                + " >= 1 or a percentage between 1% and 100%"),
        invalid("maxUnavailable 0%", o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("maxUnavailable", "0%")),
            "maxUnavailable: Invalid value: \"\": maxUnavailable must be an integer >= 1 or a percentage"),
        invalid("maxUnavailable 101%", o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("maxUnavailable", "101%")),
            "maxUnavailable: Invalid value: \"\": maxUnavailable must be an integer >= 1 or a percentage"),
        invalid("maxUnavailable abc", o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("maxUnavailable", "abc")),
            "maxUnavailable: Invalid value: \"\": maxUnavailable must be an integer >= 1 or a percentage"),
        invalid("maxUnavailable true (neither int nor string)",
            o -> set(o, "spec.updateStrategy.rollingUpdate", Map.of("maxUnavailable", true)),
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"boolean\":"
                + " spec.updateStrategy.rollingUpdate.maxUnavailable in body must be of type integer,string: \"boolean\""),
        invalid("empty selector", o -> set(o, "spec.selector", Map.of()),
            "spec.selector: Required value: selector must not be empty: it must select the pods of this set"),
        invalid("selector matchLabels not matching template labels",
            o -> set(o, "spec.selector", Map.of("matchLabels", Map.of("app", "db"))),
            "spec.selector: Invalid value: \"object\": selector.matchLabels must match template.metadata.labels"),
        invalid("selector matchLabels with a key the template lacks",
            o -> set(o, "spec.selector", Map.of("matchLabels", Map.of("app", "nginx", "tier", "web"))),
            "spec.selector: Invalid value: \"object\": selector.matchLabels must match template.metadata.labels"),
        invalid("matchExpressions In with other values", o -> set(o, "spec.selector", Map.of("matchExpressions",
                List.of(Map.of("key", "app", "operator", "In", "values", List.of("db"))))),
            "spec.selector: Invalid value: \"object\": selector.matchExpressions must match template.metadata.labels"),
        invalid("matchExpressions DoesNotExist of a present key", o -> set(o, "spec.selector", Map.of(
                "matchLabels", Map.of("app", "nginx"),
                "matchExpressions", List.of(Map.of("key", "app", "operator", "DoesNotExist")))),
            "spec.selector: Invalid value: \"object\": selector.matchExpressions must match template.metadata.labels"),
        invalid("duplicate claim template names", o -> addClaimTemplate(o, "www"),
            "spec.volumeClaimTemplates: Invalid value: \"object\": volumeClaimTemplates names must be unique"),
        invalid("claim template without a name", o -> remove(o, "spec.volumeClaimTemplates[0].metadata.name"),
            "spec.volumeClaimTemplates: Invalid value: \"object\": every volumeClaimTemplate needs metadata.name,"
                + " a DNS label of at most 63 characters"),
        invalid("claim template name with uppercase", o -> set(o, "spec.volumeClaimTemplates[0].metadata.name", "WWW"),
            "every volumeClaimTemplate needs metadata.name, a DNS label of at most 63 characters"),
        invalid("claim template name of 64 characters",
            o -> set(o, "spec.volumeClaimTemplates[0].metadata.name", "w".repeat(64)),
            "every volumeClaimTemplate needs metadata.name, a DNS label of at most 63 characters"),
        invalid("claim template without a storage request",
            o -> remove(o, "spec.volumeClaimTemplates[0].spec.resources.requests.storage"),
            "spec.volumeClaimTemplates: Required value: every volumeClaimTemplate needs spec.resources.requests.storage"),
        invalid("more than 32 claim templates", o -> {
              for (int i = 0; i < 32; i++) {
                addClaimTemplate(o, "c" + i);
              }
            },
            "spec.volumeClaimTemplates: Too many: 33: must have at most 32 items"),
        invalid("metadata.name longer than 52", o -> set(o, "metadata.name", "a".repeat(53)),
            "<nil>: Invalid value: \"object\": metadata.name must be at most 52 characters"),
        invalid("metadata.name with uppercase", o -> set(o, "metadata.name", "Web"),
            "<nil>: Invalid value: \"object\": metadata.name must be a DNS label"),
        invalid("metadata.name with dots", o -> set(o, "metadata.name", "web.v2"),
            "<nil>: Invalid value: \"object\": metadata.name must be a DNS label"),
        invalid("ordinals.start + replicas above 2147483647",
            o -> { set(o, "spec.ordinals", Map.of("start", 2147483640)); set(o, "spec.replicas", 8); },
            "spec: Invalid value: \"object\": ordinals.start + replicas must not exceed 2147483647"),
        invalid("missing selector", o -> remove(o, "spec.selector"), "spec.selector: Required value"),
        invalid("missing template", o -> remove(o, "spec.template"), "spec.template: Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSpecs")
  void admitsWhatAnApiServerAdmits(Case c) {
    assertThat(VALIDATOR.validate(V, web(c.edit()), null)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void rejectsWhatAnApiServerRejectsWithItsMessage(Case c) {
    List<FieldError> errors = VALIDATOR.validate(V, web(c.edit()), null);
    assertThat(errors).extracting(FieldError::toString).anySatisfy(m -> assertThat(m).contains(c.expected()));
  }

  @Test
  void rejectsNegativeReplicasWithTheApiServersMessage() {
    List<FieldError> errors = VALIDATOR.validate(V, web(o -> set(o, "spec.replicas", -1)), null);
    // the schema's minimum, then the scale subresource's own check of .spec.replicas (as kube-apiserver 1.32 answers)
    assertThat(errors).containsExactly(
        new FieldError("spec.replicas", FieldError.Type.INVALID, -1L, "spec.replicas in body should be greater than or equal to 0"),
        new FieldError(".spec.replicas", FieldError.Type.INVALID, -1L, "should be a non-negative integer"));
    assertThat(VALIDATOR.toStatusMessage("OrdinalSet", "web", errors)).isEqualTo(
        "OrdinalSet.ordinal.dev \"web\" is invalid: [spec.replicas: Invalid value: -1:"
            + " spec.replicas in body should be greater than or equal to 0,"
            + " .spec.replicas: Invalid value: -1: should be a non-negative integer]");
  }

  @Test
  void statusMessageBracketsSeveralErrorsAndDropsRepeatedOnes() {
    List<FieldError> errors = VALIDATOR.validate(V, web(o -> {
      set(o, "spec.minReadySeconds", -1);
      set(o, "spec.selector", Map.of("matchLabels", Map.of("app", "db")));
    }), null);
    List<FieldError> twice = new ArrayList<>(errors);
    twice.addAll(errors);
    assertThat(VALIDATOR.toStatusMessage("OrdinalSet", "web", twice)).isEqualTo(
        "OrdinalSet.ordinal.dev \"web\" is invalid: ["
            + "spec.minReadySeconds: Invalid value: -1: spec.minReadySeconds in body should be greater than or equal to 0, "
            + "spec.selector: Invalid value: \"object\": selector.matchLabels must match template.metadata.labels]");
  }

  @Test
  void skipsCelRulesAfterATypeErrorAndSaysSoLikeTheApiServer() {
    List<FieldError> errors = VALIDATOR.validate(V, web(o -> {
      set(o, "spec.replicas", "two");
      set(o, "spec.selector", Map.of("matchLabels", Map.of("app", "db")));
    }), null);
    assertThat(errors).extracting(FieldError::toString).containsExactly(
        "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
        ".spec.replicas: Invalid value: 0: .spec.replicas accessor error: two is of the type string, expected int64",
        "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid;"
            + " correct the existing errors to complete validation");
  }

  @Test
  void rejectsASelectorChangeOnUpdate() {
    Map<String, Object> old = web(o -> {});
    Map<String, Object> changed = web(o -> {
      set(o, "spec.selector", Map.of("matchLabels", Map.of("app", "nginx", "tier", "web")));
      set(o, "spec.template.metadata.labels", Map.of("app", "nginx", "tier", "web"));
    });
    assertThat(VALIDATOR.validate(V, changed, null)).as("valid as a create").isEmpty();
    assertThat(VALIDATOR.validate(V, changed, old)).extracting(FieldError::toString)
        .containsExactly("spec.selector: Forbidden: selector is immutable");
  }

  @Test
  void acceptsAnUpdateThatKeepsTheSelector() {
    Map<String, Object> old = web(o -> {});
    Map<String, Object> scaled = web(o -> {
      set(o, "spec.replicas", 5);
      set(o, "spec.template.spec.containers[0].image", "nginx:1.27");
    });
    assertThat(VALIDATOR.validate(V, scaled, old)).isEmpty();
  }

  @Test
  void evaluatesTransitionRulesOnlyWhereTheOldObjectHasTheValue() {
    Map<String, Object> oldWithoutSpec = web(o -> remove(o, "spec"));
    Map<String, Object> changed = web(o -> set(o, "spec.selector.matchLabels", Map.of("app", "nginx")));
    assertThat(VALIDATOR.validate(V, changed, oldWithoutSpec)).isEmpty();
  }

  @Test
  void validatesGenericKubernetesResourcesTakingTheVersionFromApiVersion() {
    KubernetesSerialization serialization = new KubernetesSerialization();
    GenericKubernetesResource bad = serialization.unmarshal(WEB.replace("replicas: 2", "replicas: -3"),
        GenericKubernetesResource.class);
    assertThat(VALIDATOR.validate(bad, null)).extracting(FieldError::toString).containsExactly(
        "spec.replicas: Invalid value: -3: spec.replicas in body should be greater than or equal to 0",
        ".spec.replicas: Invalid value: -3: should be a non-negative integer");
    GenericKubernetesResource good = serialization.unmarshal(WEB, GenericKubernetesResource.class);
    assertThat(VALIDATOR.validate(good, null)).isEmpty();
  }

  @Test
  void appliesSchemaDefaultsWithoutTouchingTheInput() {
    Map<String, Object> object = web(o -> {
      remove(o, "spec.replicas");
      set(o, "spec.minReadySeconds", null);
    });
    Map<String, Object> defaulted = VALIDATOR.applyDefaults(V, object);
    assertThat(get(defaulted, "spec.replicas")).isEqualTo(1L);
    assertThat(get(defaulted, "spec.podManagementPolicy")).isEqualTo("OrderedReady");
    assertThat(get(defaulted, "spec.minReadySeconds")).isEqualTo(0L);
    assertThat(get(defaulted, "spec.revisionHistoryLimit")).isEqualTo(10L);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) object.get("spec");
    assertThat(spec).doesNotContainKey("replicas").doesNotContainKey("podManagementPolicy");
    assertThat(VALIDATOR.validate(V, defaulted, null)).isEmpty();
  }

  @Test
  void refusesACrdWhoseRuleDoesNotCompile() {
    CustomResourceDefinition crd = loadCrd();
    crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
        .getXKubernetesValidations().add(new ValidationRule(null, "bad", null, null, null, "self.replicas >"));
    assertThatThrownBy(() -> new CustomResourceValidator(crd))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not compile");
  }

  @Test
  void refusesACrdWithAReasonTheApiServerDoesNotKnow() {
    CustomResourceDefinition crd = loadCrd();
    crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
        .getXKubernetesValidations().add(new ValidationRule(null, "m", null, null, "FieldValueTooLong", "true"));
    assertThatThrownBy(() -> new CustomResourceValidator(crd))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FieldValueTooLong");
  }

  /** A new rule without a failing case in {@link #invalidSpecs()} fails the build. */
  @Test
  void everyCelRuleInTheCrdIsTriggeredByAnInvalidCase() {
    List<String> triggered = new ArrayList<>();
    invalidSpecs().forEach(c -> VALIDATOR.validate(V, web(c.edit()), null).forEach(e -> triggered.add(e.detail())));
    // the transition rule needs an old object
    VALIDATOR.validate(V, web(o -> set(o, "spec.selector.matchLabels", Map.of("app", "nginx", "x", "y"))
        ), web(o -> {})).forEach(e -> triggered.add(e.detail()));

    List<ValidationRule> rules = new ArrayList<>();
    collectRules(loadCrd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), rules);
    assertThat(rules).as("rules found in the CRD").hasSizeGreaterThanOrEqualTo(12);
    assertThat(VALIDATOR.rules(V)).hasSameSizeAs(rules);
    for (ValidationRule rule : rules) {
      String detail = rule.getMessage() == null ? "failed rule: " + rule.getRule().strip() : rule.getMessage().strip();
      assertThat(triggered).as("no invalid case triggers the rule %s", rule.getRule()).contains(detail);
    }
  }

  private static void collectRules(io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps s,
      List<ValidationRule> out) {
    if (s == null) {
      return;
    }
    if (s.getXKubernetesValidations() != null) {
      out.addAll(s.getXKubernetesValidations());
    }
    if (s.getProperties() != null) {
      s.getProperties().values().forEach(p -> collectRules(p, out));
    }
    if (s.getItems() != null) {
      collectRules(s.getItems().getSchema(), out);
    }
    if (s.getAdditionalProperties() != null) {
      collectRules(s.getAdditionalProperties().getSchema(), out);
    }
  }

  // ---- fixtures ----

  static Case valid(String name, Consumer<Map<String, Object>> edit) {
    return new Case(name, edit, null);
  }

  static Case invalid(String name, Consumer<Map<String, Object>> edit, String expected) {
    return new Case(name, edit, expected);
  }

  static CustomResourceDefinition loadCrd() {
    try (InputStream in = Files.newInputStream(CRD)) {
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> web(Consumer<Map<String, Object>> edit) {
    try {
      Map<String, Object> o = new YAMLMapper().readValue(WEB, new TypeReference<LinkedHashMap<String, Object>>() {});
      edit.accept(o);
      // as an API server receives it: JSON
      ObjectMapper json = new ObjectMapper();
      return json.readValue(json.writeValueAsString(o), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void addClaimTemplate(Map<String, Object> o, String name) {
    @SuppressWarnings("unchecked")
    List<Object> templates = (List<Object>) get(o, "spec.volumeClaimTemplates");
    templates.add(Map.of("metadata", Map.of("name", name),
        "spec", Map.of("accessModes", List.of("ReadWriteOnce"), "resources", Map.of("requests", Map.of("storage", "1Gi")))));
  }

  static Object get(Map<String, Object> o, String path) {
    Object cur = o;
    for (String step : steps(path)) {
      cur = step.matches("\\d+") ? ((List<?>) cur).get(Integer.parseInt(step)) : ((Map<?, ?>) cur).get(step);
    }
    return cur;
  }

  /** Sets a value, creating missing objects on the way (like a merge patch). */
  @SuppressWarnings("unchecked")
  static void set(Map<String, Object> o, String path, Object value) {
    List<String> steps = steps(path);
    Object cur = o;
    for (String step : steps.subList(0, steps.size() - 1)) {
      if (step.matches("\\d+")) {
        cur = ((List<Object>) cur).get(Integer.parseInt(step));
      } else {
        cur = ((Map<String, Object>) cur).computeIfAbsent(step, k -> new LinkedHashMap<String, Object>());
      }
    }
    ((Map<String, Object>) cur).put(steps.getLast(), value);
  }

  @SuppressWarnings("unchecked")
  static void remove(Map<String, Object> o, String path) {
    List<String> steps = steps(path);
    Object parent = steps.size() == 1 ? o : get(o, String.join(".", steps.subList(0, steps.size() - 1)));
    ((Map<String, Object>) parent).remove(steps.getLast());
  }

  private static List<String> steps(String path) {
    return List.of(path.replace("[", ".").replace("]", "").split("\\."));
  }
}
