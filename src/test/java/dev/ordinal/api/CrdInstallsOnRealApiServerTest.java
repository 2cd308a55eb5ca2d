package dev.ordinal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ordinal.sandbox.admission.CustomResourceValidator;
import dev.ordinal.sandbox.admission.FieldError;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every checked-in copy of the OrdinalSet CRD installs on a real kube-apiserver (started with
 * kube-api-test, offline from {@code KUBE_API_TEST_DIR}): the server accepts the CRD, including
 * its CEL rules' estimated cost, and reports it Established; then it admits the web example and
 * rejects bad sets with the messages the sandbox validator prints too.
 *
 * <p>One server for the class; each copy is created, exercised in its own namespace and deleted
 * before the next. Skipped, with the reason, where no API server binaries can be had.
 */
class CrdInstallsOnRealApiServerTest {
  static final String DEFAULT_VERSION = "1.32.13";
  static final Path CRD = Path.of("crds/ordinalsets.ordinal.dev-v1.yml");
  static final Path CHART_CRD = Path.of("deploy/helm/ordinal-operator/crds/ordinalsets.ordinal.dev-v1.yml");
  static final Path MANIFESTS = Path.of("deploy/manifests");
  static final Path EXAMPLE = Path.of("examples/web.yaml");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static KubeAPIServer server;
  private static KubernetesClient client;
  /** Why no server runs; each test aborts with it, so the skip shows per test, not as zero tests run. */
  private static String skipReason;

  @BeforeAll
  static void startApiServer() {
    String dir = Objects.requireNonNullElse(System.getenv("KUBE_API_TEST_DIR"),
        System.getProperty("user.home") + "/.kubeapitest");
    String version = Objects.requireNonNullElse(System.getenv("KUBE_API_TEST_API_SERVER_VERSION"), DEFAULT_VERSION);
    boolean offline = Files.isExecutable(Path.of(dir, "k8s", version + "-linux-amd64", "kube-apiserver"));
    var config = KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(dir)
        .withApiServerVersion(version)
        .withOfflineMode(offline)
        .withUpdateKubeConfig(false)
        .build();
    try {
      server = new KubeAPIServer(config);
      server.start();
    } catch (RuntimeException e) {
      String reason = "no kube-apiserver " + version + " could be started from " + dir + " (offline=" + offline
          + "; unpack the binaries with /work/shared/kube-api-test/install.sh or set KUBE_API_TEST_DIR): " + e;
      System.out.println("[CrdInstallsOnRealApiServerTest] skipped: " + reason);
      server = null;
      skipReason = reason;
      return;
    }
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
  }

  @BeforeEach
  void skipWithoutAnApiServer() {
    if (skipReason != null) {
      Assumptions.abort(skipReason);
    }
  }

  @AfterAll
  static void stopApiServer() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  static Stream<Path> crdCopies() throws IOException {
    return Stream.of(CRD, CHART_CRD, manifestWithTheCrd());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crdCopies")
  void installsBecomesEstablishedAndAdmitsLikeTheSandbox(Path copy) throws IOException {
    CustomResourceDefinition crd = SERIALIZATION.convertValue(crdDocument(copy), CustomResourceDefinition.class);
    CustomResourceValidator sandbox = new CustomResourceValidator(crd);
    String namespace = "copy-" + Integer.toHexString(copy.toString().hashCode() & 0xfffffff);
    createCrd(crd);
    try {
      CustomResourceDefinition established = client.resource(crd).waitUntilCondition(c -> c != null
          && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
              .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())), 60, TimeUnit.SECONDS);
      assertThat(established.getStatus().getAcceptedNames().getKind()).isEqualTo("OrdinalSet");
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();

      Map<String, Object> web = exampleOrdinalSet();
      assertThat(sandbox.validate("v1alpha1", web, null)).as("the sandbox admits the example").isEmpty();
      GenericKubernetesResource created = createIn(namespace, web);
      assertThat(created.getMetadata().getUid()).as("the API server admitted examples/web.yaml").isNotBlank();

      assertRejected(sandbox, namespace, "selector-mismatch",
          o -> set(o, "spec.selector", Map.of("matchLabels", Map.of("app", "db"))),
          "spec.selector: Invalid value: \"object\": selector.matchLabels must match template.metadata.labels");
      assertRejected(sandbox, namespace, "duplicate-claims", o -> addClaimTemplate(o, "www"),
          "spec.volumeClaimTemplates: Invalid value: \"object\": volumeClaimTemplates names must be unique");
      // the bounds that keep the rules' cost estimate in budget, with the server's own wording
      assertRejected(sandbox, namespace, "many-match-labels", o -> {
            Map<String, Object> labels = new LinkedHashMap<>();
            IntStream.range(0, 65).forEach(i -> labels.put("l" + i, "v"));
            set(o, "spec.selector", Map.of("matchLabels", labels));
            set(o, "spec.template.metadata.labels", labels);
          },
          "spec.selector.matchLabels: Too many: 65: must have at most 64 items");
      assertRejected(sandbox, namespace, "long-label-value",
          o -> set(o, "spec.template.metadata.labels", Map.of("app", "nginx", "tier", "t".repeat(64))),
          "spec.template.metadata.labels.tier: Too long: may not be more than 63 bytes");
      assertRejected(sandbox, namespace, "long-claim-name",
          o -> set(o, "spec.volumeClaimTemplates", List.of(claimTemplate("w".repeat(254)))),
          "spec.volumeClaimTemplates[0].metadata.name: Too long: may not be more than 253 bytes");
    } finally {
      client.resource(crd).delete();
      client.resource(crd).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
    }
  }

  /** Creating the CRD is where a real server judges the CEL rules' estimated cost. */
  private static void createCrd(CustomResourceDefinition crd) {
    try {
      client.resource(crd).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        fail("the API server refused the CRD: " + e.getStatus().getMessage(), e);
      }
      // right after start the RBAC cache may answer 403 for a moment (see kube-api-test README)
      sleep(2000);
      client.resource(crd).create();
    }
  }

  private static void assertRejected(CustomResourceValidator sandbox, String namespace, String name,
      Consumer<Map<String, Object>> edit, String expected) throws IOException {
    Map<String, Object> bad = exampleOrdinalSet();
    set(bad, "metadata.name", name);
    edit.accept(bad);
    bad = asJson(bad);
    List<FieldError> sandboxErrors = sandbox.validate("v1alpha1", bad, null);
    assertThat(sandboxErrors).as("sandbox errors for %s", name).extracting(FieldError::toString)
        .anySatisfy(m -> assertThat(m).contains(expected));
    Map<String, Object> finalBad = bad;
    assertThatThrownBy(() -> createIn(namespace, finalBad)).as("the API server rejects %s", name)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getMessage()).contains(expected)
              .as("the sandbox says what the API server says")
              .isEqualTo(sandbox.toStatusMessage("OrdinalSet", name, sandboxErrors));
        });
  }

  private static GenericKubernetesResource createIn(String namespace, Map<String, Object> object) {
    GenericKubernetesResource resource = SERIALIZATION.convertValue(object, GenericKubernetesResource.class);
    return client.resource(resource).inNamespace(namespace).create();
  }

  /** The one CustomResourceDefinition among the plain manifests. */
  static Path manifestWithTheCrd() throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (documents(file).stream().anyMatch(d -> "CustomResourceDefinition".equals(d.get("kind")))) {
          found.add(file);
        }
      }
    }
    assertThat(found).as("CRD documents in %s", MANIFESTS).hasSize(1);
    return found.getFirst();
  }

  static Map<String, Object> crdDocument(Path file) throws IOException {
    List<Map<String, Object>> crds = documents(file).stream()
        .filter(d -> "CustomResourceDefinition".equals(d.get("kind"))).toList();
    assertThat(crds).as("CRD documents in %s", file).hasSize(1);
    return crds.getFirst();
  }

  /** examples/web.yaml's OrdinalSet, as JSON-typed maps. */
  static Map<String, Object> exampleOrdinalSet() throws IOException {
    return asJson(documents(EXAMPLE).stream().filter(d -> "OrdinalSet".equals(d.get("kind"))).findFirst()
        .orElseThrow(() -> new AssertionError("no OrdinalSet in " + EXAMPLE)));
  }

  static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it = new YAMLMapper()
        .readerFor(new TypeReference<LinkedHashMap<String, Object>>() {}).readValues(file.toFile())) {
      while (it.hasNext()) {
        Map<String, Object> doc = it.next();
        if (doc != null && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static Map<String, Object> asJson(Map<String, Object> o) throws IOException {
    ObjectMapper json = new ObjectMapper();
    return json.readValue(json.writeValueAsString(o), new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  private static Map<String, Object> claimTemplate(String name) {
    return Map.of("metadata", Map.of("name", name),
        "spec", Map.of("accessModes", List.of("ReadWriteOnce"), "resources", Map.of("requests", Map.of("storage", "1Gi"))));
  }

  @SuppressWarnings("unchecked")
  private static void addClaimTemplate(Map<String, Object> o, String name) {
    Map<String, Object> spec = (Map<String, Object>) o.get("spec");
    List<Object> templates = new ArrayList<>((List<Object>) spec.get("volumeClaimTemplates"));
    templates.add(claimTemplate(name));
    spec.put("volumeClaimTemplates", templates);
  }

  /** Sets a value at a dotted path, creating missing objects on the way. */
  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> o, String path, Object value) {
    String[] steps = path.split("\\.");
    Map<String, Object> cur = o;
    for (int i = 0; i < steps.length - 1; i++) {
      cur = (Map<String, Object>) cur.computeIfAbsent(steps[i], k -> new LinkedHashMap<String, Object>());
    }
    cur.put(steps[steps.length - 1], value);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
