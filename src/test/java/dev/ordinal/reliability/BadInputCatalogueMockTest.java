package dev.ordinal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.sandbox.admission.CustomResourceValidator;
import dev.ordinal.sandbox.admission.FieldError;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A catalogue of invalid and hostile OrdinalSet specs. Each one is EITHER rejected by the CRD's
 * schema and CEL rules (judged by {@link CustomResourceValidator} on the checked-in CRD, after the
 * schema's defaults, as an API server would) OR admitted by the schema and then refused by the
 * operator: edited into a healthy set that already has pods, claims and PVs, it gets
 * {@code SpecValid=False} with a message and an {@code InvalidSpec} Warning Event, and nothing else
 * changes (no pod/claim/PV resourceVersion changes, no new objects) for a few seconds. A few specs
 * look suspicious but are valid and must NOT be flagged.
 */
class BadInputCatalogueMockTest {
  @RegisterExtension
  static final OperatorHarness harness = new OperatorHarness();

  static final String V = "v1alpha1";
  static final String WEB = dev.ordinal.sandbox.admission.CustomResourceValidatorTest.WEB;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CustomResourceValidator VALIDATOR = new CustomResourceValidator(loadCrd());
  /** How long the operator must leave everything untouched after refusing a spec. */
  static final Duration HANDS_OFF = Duration.ofSeconds(3);

  enum Outcome { SCHEMA, OPERATOR, VALID }

  /** An edit of a healthy web set, and where it must be stopped, with a fragment of the message. */
  record Case(String name, Consumer<Map<String, Object>> edit, Outcome outcome, String fragment) {
    @Override public String toString() { return outcome + ": " + name; }
  }

  static Case schema(String name, Consumer<Map<String, Object>> edit, String fragment) {
    return new Case(name, edit, Outcome.SCHEMA, fragment);
  }

  static Case operator(String name, Consumer<Map<String, Object>> edit, String fragment) {
    return new Case(name, edit, Outcome.OPERATOR, fragment);
  }

  static Case valid(String name, Consumer<Map<String, Object>> edit) {
    return new Case(name, edit, Outcome.VALID, null);
  }

  static Stream<Case> catalogue() {
    return Stream.of(
        // numbers
        schema("negative replicas", o -> set(o, "spec.replicas", -1), "spec.replicas in body should be greater than or equal to 0"),
        // no int32 maximum in the schema: the CEL overflow rule catches it
        schema("replicas above int32", o -> set(o, "spec.replicas", 4294967296L), "ordinals.start + replicas must not exceed 2147483647"),
        schema("replicas as a string", o -> set(o, "spec.replicas", "two"), "spec.replicas in body must be of type integer"),
        schema("replicas as a fraction", o -> set(o, "spec.replicas", 1.5), "spec.replicas in body must be of type integer"),
        schema("negative partition", o -> set(o, "spec.updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", -1))),
            "partition in body should be greater than or equal to 0"),
        schema("negative minReadySeconds", o -> set(o, "spec.minReadySeconds", -5), "spec.minReadySeconds in body should be greater than or equal to 0"),
        schema("negative revisionHistoryLimit", o -> set(o, "spec.revisionHistoryLimit", -1), "spec.revisionHistoryLimit in body should be greater than or equal to 0"),
        schema("negative ordinals.start", o -> set(o, "spec.ordinals", Map.of("start", -1)), "spec.ordinals.start in body should be greater than or equal to 0"),
        schema("ordinals.start + replicas overflow int32", o -> { set(o, "spec.ordinals", Map.of("start", 2147483647)); set(o, "spec.replicas", 2); },
            "ordinals.start + replicas must not exceed 2147483647"),
        schema("maxUnavailable 0", o -> set(o, "spec.updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", 0))),
            "maxUnavailable must be an integer >= 1 or a percentage"),
        schema("maxUnavailable 101%", o -> set(o, "spec.updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", "101%"))),
            "maxUnavailable must be an integer >= 1 or a percentage"),
        schema("maxUnavailable -1", o -> set(o, "spec.updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", -1))),
            "maxUnavailable must be an integer >= 1 or a percentage"),
        schema("maxUnavailable 'abc'", o -> set(o, "spec.updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", "abc"))),
            "maxUnavailable must be an integer >= 1 or a percentage"),
        // selector and labels
        schema("empty selector", o -> set(o, "spec.selector", Map.of()), "selector must not be empty"),
        schema("selector not matching the template labels", o -> set(o, "spec.selector", Map.of("matchLabels", Map.of("app", "db"))),
            "selector.matchLabels must match template.metadata.labels"),
        schema("template labels removed", o -> remove(o, "spec.template.metadata.labels"), "selector.matchLabels must match template.metadata.labels"),
        schema("selector matchExpressions excluding the template", o -> set(o, "spec.selector", Map.of("matchExpressions",
            List.of(Map.of("key", "app", "operator", "NotIn", "values", List.of("nginx"))))), "selector.matchExpressions must match template.metadata.labels"),
        schema("missing selector", o -> remove(o, "spec.selector"), "spec.selector: Required value"),
        // names and lengths
        schema("set name of 60 characters (pod-name and revision labels > 63)", o -> set(o, "metadata.name", "a".repeat(60)),
            "metadata.name must be at most 52 characters"),
        schema("set name with uppercase", o -> set(o, "metadata.name", "Web"), "metadata.name must be a DNS label"),
        schema("claim template name with uppercase", o -> set(o, "spec.volumeClaimTemplates[0].metadata.name", "WWW"),
            "every volumeClaimTemplate needs metadata.name, a DNS label of at most 63 characters"),
        schema("claim template name of 250 characters (claim name > 253)", o -> set(o, "spec.volumeClaimTemplates[0].metadata.name", "w".repeat(250)),
            "every volumeClaimTemplate needs metadata.name, a DNS label of at most 63 characters"),
        schema("duplicate claim templates", o -> addClaimTemplate(o, "www"), "volumeClaimTemplates names must be unique"),
        schema("claim template without a name", o -> remove(o, "spec.volumeClaimTemplates[0].metadata.name"),
            "every volumeClaimTemplate needs metadata.name"),
        schema("claim template without a storage request", o -> remove(o, "spec.volumeClaimTemplates[0].spec.resources.requests.storage"),
            "every volumeClaimTemplate needs spec.resources.requests.storage"),
        // enums and types
        schema("unknown podManagementPolicy", o -> set(o, "spec.podManagementPolicy", "Random"), "Unsupported value: \"Random\""),
        schema("unknown updateStrategy.type", o -> set(o, "spec.updateStrategy", Map.of("type", "BlueGreen")), "Unsupported value: \"BlueGreen\""),
        schema("unknown whenScaled", o -> set(o, "spec.persistentVolumeClaimRetentionPolicy", Map.of("whenScaled", "Destroy")),
            "Unsupported value: \"Destroy\""),
        schema("unknown volumeReuse.type", o -> set(o, "spec.volumeReuse", Map.of("type", "Any")), "Unsupported value: \"Any\""),
        schema("unknown volumeClaimUpdateStrategy.type", o -> set(o, "spec.volumeClaimUpdateStrategy", Map.of("type", "Shrink")),
            "Unsupported value: \"Shrink\""),
        schema("rollingUpdate with OnDelete", o -> set(o, "spec.updateStrategy", Map.of("type", "OnDelete", "rollingUpdate", Map.of("partition", 1))),
            "rollingUpdate may only be set when type is RollingUpdate"),
        schema("template as a string", o -> set(o, "spec.template", "nginx"), "spec.template in body must be of type object"),
        schema("missing template", o -> remove(o, "spec.template"), "spec.template: Required value"),
        // what the schema cannot judge: the operator refuses
        operator("restartPolicy Never", o -> set(o, "spec.template.spec.restartPolicy", "Never"), "template.spec.restartPolicy must be Always, not Never"),
        operator("no containers", o -> set(o, "spec.template.spec.containers", List.of()), "template.spec.containers must not be empty"),
        operator("storage 'abc'", o -> set(o, "spec.volumeClaimTemplates[0].spec.resources.requests.storage", "abc"), "is not a quantity"),
        operator("storage 0", o -> set(o, "spec.volumeClaimTemplates[0].spec.resources.requests.storage", "0"), "storage request must be positive"),
        operator("storage -1Gi", o -> set(o, "spec.volumeClaimTemplates[0].spec.resources.requests.storage", "-1Gi"), "storage request must be positive"),
        // suspicious but valid
        valid("partition above replicas (updates nothing)", o -> set(o, "spec.updateStrategy",
            Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", 5)))),
        valid("maxUnavailable 100%", o -> set(o, "spec.updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", "100%")))),
        valid("maxUnavailable above replicas", o -> set(o, "spec.updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", 50)))),
        valid("replicas 0", o -> set(o, "spec.replicas", 0)),
        valid("revisionHistoryLimit 0", o -> set(o, "spec.revisionHistoryLimit", 0)),
        // Shrinking storage is a valid spec (SpecValid stays True) that the operator refuses to
        // apply: ClaimsUpToDate=False says "claims cannot shrink" and no claim changes
        // (StorageLifecycleMockTest.shrinkingIsRefusedAndChangesNothing proves the condition).
        valid("shrinking storage 1Gi -> 500Mi (refused by ClaimsUpToDate, not by SpecValid)",
            o -> set(o, "spec.volumeClaimTemplates[0].spec.resources.requests.storage", "500Mi")));
  }

  static Stream<Case> schemaCases() {
    return catalogue();
  }

  static Stream<Case> clusterCases() {
    return catalogue().filter(c -> c.outcome() != Outcome.SCHEMA);
  }

  @Test
  void theCatalogueHasAtLeastThirtyBadSpecs() {
    assertThat(catalogue().filter(c -> c.outcome() != Outcome.VALID).count()).isGreaterThanOrEqualTo(30);
  }

  /** The schema verdict for every case: SCHEMA cases rejected with the fragment, the others admitted. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaCases")
  void theCrdSchemaJudges(Case c) {
    Map<String, Object> object = web();
    c.edit().accept(object);
    Map<String, Object> defaulted = VALIDATOR.applyDefaults(V, object);
    List<FieldError> errors = VALIDATOR.validate(V, defaulted, null);
    String message = VALIDATOR.toStatusMessage("OrdinalSet", String.valueOf(((Map<?, ?>) defaulted.get("metadata")).get("name")), errors);
    if (c.outcome() == Outcome.SCHEMA) {
      assertThat(errors).as("rejected by the schema").isNotEmpty();
      assertThat(message).contains(c.fragment());
    } else {
      assertThat(errors).as("admitted by the schema: " + message).isEmpty();
    }
  }

  /** Admitted specs edited into a healthy set: refused by the operator without a write, or accepted. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("clusterCases")
  void theOperatorRefusesWhatTheSchemaCannotJudgeAndTouchesNothing(Case c) {
    Cluster cluster = new Cluster(harness);
    cluster.createPv("pv-0", "1Gi");
    cluster.createPv("pv-1", "1Gi");
    cluster.createPv("pv-2", "1Gi");
    cluster.create(cluster.web(2));
    cluster.awaitReady("web-0", "web-1");
    cluster.awaitBound("www-web-0", "www-web-1");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      var status = cluster.set("web").getStatus();
      assertThat(status.getCurrentRevision()).isNotNull().isEqualTo(status.getUpdateRevision());
      assertThat(status.getObservedGeneration()).isEqualTo(cluster.set("web").getMetadata().getGeneration());
    });
    Map<String, String> before = versions(cluster);

    var generic = cluster.client().genericKubernetesResources("ordinal.dev/v1alpha1", "OrdinalSet").inNamespace(cluster.ns()).withName("web").get();
    Map<String, Object> object = JSON.convertValue(generic, new TypeReference<LinkedHashMap<String, Object>>() {});
    object.remove("status");
    c.edit().accept(object);
    cluster.client().resource(JSON.convertValue(object, GenericKubernetesResource.class)).update();
    long generation = cluster.client().genericKubernetesResources("ordinal.dev/v1alpha1", "OrdinalSet").inNamespace(cluster.ns()).withName("web").get()
        .getMetadata().getGeneration();

    if (c.outcome() == Outcome.OPERATOR) {
      await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
        var cond = cluster.condition("web", "SpecValid");
        assertThat(cond).hasValueSatisfying(x -> {
          assertThat(x.getStatus()).isEqualTo("False");
          assertThat(x.getMessage()).contains(c.fragment());
        });
        assertThat(cluster.events()).anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("InvalidSpec");
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).contains(c.fragment());
        });
      });
    } else {
      await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
        assertThat(cluster.set("web").getStatus().getObservedGeneration()).isEqualTo(generation);
        assertThat(cluster.condition("web", "SpecValid")).hasValueSatisfying(x -> assertThat(x.getStatus()).isEqualTo("True"));
      });
      assertThat(cluster.events()).noneMatch(e -> "InvalidSpec".equals(e.getReason()));
    }
    if (c.name().startsWith("replicas 0")) {
      // valid and acted upon: ordered scale-down to nothing; claims and PVs stay
      await().atMost(Cluster.TIMEOUT).until(() -> cluster.podNames().isEmpty());
      Map<String, String> storageBefore = new TreeMap<>(before);
      storageBefore.keySet().removeIf(k -> !k.startsWith("pv/"));
      Map<String, String> storageNow = new TreeMap<>(versions(cluster));
      storageNow.keySet().removeIf(k -> !k.startsWith("pv/"));
      assertThat(storageNow).isEqualTo(storageBefore);
      assertThat(cluster.client().persistentVolumeClaims().inNamespace(cluster.ns()).list().getItems()).hasSize(2);
      return;
    }
    // Hands off: the same objects at the same resourceVersions, nothing new.
    await().during(HANDS_OFF).atMost(HANDS_OFF.plusSeconds(5)).untilAsserted(() -> assertThat(versions(cluster)).isEqualTo(before));
  }

  /** kind/name -> resourceVersion of every pod, claim and ControllerRevision of the namespace and every PV of its class. */
  private static Map<String, String> versions(Cluster c) {
    Map<String, String> v = new TreeMap<>();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(c.client().pods().inNamespace(c.ns()).list().getItems());
    all.addAll(c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems());
    all.addAll(c.client().apps().controllerRevisions().inNamespace(c.ns()).list().getItems());
    all.addAll(c.client().persistentVolumes().list().getItems().stream()
        .filter(pv -> c.storageClass().equals(pv.getSpec().getStorageClassName())).toList());
    for (HasMetadata o : all) {
      String kind = o instanceof io.fabric8.kubernetes.api.model.PersistentVolume ? "pv" : o.getKind();
      v.put(kind + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
    }
    return v;
  }

  // ---- map editing ----

  @SuppressWarnings("unchecked")
  static Map<String, Object> web() {
    try {
      return new YAMLMapper().readValue(WEB, LinkedHashMap.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void set(Map<String, Object> o, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> parent = parent(o, parts, true);
    parent.put(key(parts[parts.length - 1]), value);
  }

  static void remove(Map<String, Object> o, String path) {
    String[] parts = path.split("\\.");
    Map<String, Object> parent = parent(o, parts, false);
    if (parent != null) {
      parent.remove(key(parts[parts.length - 1]));
    }
  }

  @SuppressWarnings("unchecked")
  static void addClaimTemplate(Map<String, Object> o, String name) {
    List<Object> templates = (List<Object>) ((Map<String, Object>) o.get("spec")).get("volumeClaimTemplates");
    Map<String, Object> copy = JSON.convertValue(templates.get(0), new TypeReference<LinkedHashMap<String, Object>>() {});
    ((Map<String, Object>) copy.get("metadata")).put("name", name);
    List<Object> more = new ArrayList<>(templates);
    more.add(copy);
    ((Map<String, Object>) o.get("spec")).put("volumeClaimTemplates", more);
  }

  private static String key(String part) {
    int bracket = part.indexOf('[');
    return bracket < 0 ? part : part.substring(0, bracket);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parent(Map<String, Object> o, String[] parts, boolean create) {
    Object node = o;
    for (int i = 0; i < parts.length - 1; i++) {
      String part = parts[i];
      int bracket = part.indexOf('[');
      Map<String, Object> map = (Map<String, Object>) node;
      if (bracket >= 0) {
        List<Object> list = (List<Object>) map.get(part.substring(0, bracket));
        node = list.get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      } else {
        Object next = map.get(part);
        if (next == null) {
          if (!create) {
            return null;
          }
          next = new LinkedHashMap<String, Object>();
          map.put(part, next);
        } else if (!(next instanceof LinkedHashMap)) {
          next = new LinkedHashMap<>((Map<String, Object>) next);  // Map.of(...) values are immutable
          map.put(part, next);
        }
        node = next;
      }
    }
    return (Map<String, Object>) node;
  }

  static CustomResourceDefinition loadCrd() {
    try (InputStream in = Files.newInputStream(OperatorHarness.CRD_FILE)) {
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
