package dev.ordinal.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedApiServerTest {

  private EmbeddedApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start(0);
    client = server.client();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static CustomResourceDefinition ordinalSetCrd(KubernetesClient client) throws IOException {
    try (var in = new FileInputStream("crds/ordinalsets.ordinal.dev-v1.yml")) {
      return client.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
  }

  private GenericKubernetesResource ordinalSet(String name, int replicas) {
    GenericKubernetesResource os = new GenericKubernetesResource();
    os.setApiVersion("ordinal.dev/v1alpha1");
    os.setKind("OrdinalSet");
    os.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace("default")
        .build());
    os.setAdditionalProperty("spec", Map.of("replicas", replicas, "selector",
        Map.of("matchLabels", Map.of("app", name))));
    return os;
  }

  @Test
  void strategicMergePatchMergesContainersByName() {
    client.pods().resource(new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage("app:1").addNewEnv().withName("A").withValue("1").endEnv()
        .endContainer()
        .addNewContainer().withName("sidecar").withImage("side:1").endContainer().endSpec().build()).create();

    Pod patched = client.pods().withName("p").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), """
        {"spec":{"containers":[{"name":"app","image":"app:2","env":[{"name":"B","value":"2"}]}]}}""");

    assertThat(patched.getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("app=app:2", "sidecar=side:1");
    assertThat(patched.getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getName())
        .containsExactly("A", "B");

    Pod deleted = client.pods().withName("p").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), """
        {"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}""");
    assertThat(deleted.getSpec().getContainers()).extracting(c -> c.getName()).containsExactly("app");
  }

  @Test
  void strategicMergePatchOnCustomResourceIsUnsupportedMediaType() throws IOException {
    server.installCrd(ordinalSetCrd(client));
    client.genericKubernetesResources("ordinal.dev/v1alpha1", "OrdinalSet").resource(ordinalSet("web", 1)).create();
    assertThatThrownBy(() -> client.genericKubernetesResources("ordinal.dev/v1alpha1", "OrdinalSet")
        .inNamespace("default").withName("web")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":2}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
  }

  private void configMap(String name, String app) {
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("app", app)
        .endMetadata().build()).create();
  }

  @Test
  void setBasedSelectorsFilterLists() {
    configMap("a1", "a");
    configMap("b1", "b");
    configMap("c1", "c");
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("none").endMetadata().build())
        .create();

    assertThat(names(client.configMaps().withLabelIn("app", "a", "b").list().getItems())).containsExactly("a1", "b1");
    assertThat(names(client.configMaps().withLabelNotIn("app", "a").list().getItems()))
        .containsExactlyInAnyOrder("b1", "c1", "none");
    assertThat(names(client.configMaps().withLabelSelector("!app").list().getItems())).containsExactly("none");
    assertThat(names(client.configMaps().withLabelSelector("app,app notin (c)").list().getItems()))
        .containsExactlyInAnyOrder("a1", "b1");
  }

  @Test
  void setBasedSelectorsFilterWatches() {
    configMap("a1", "a");
    configMap("c1", "c");
    List<String> events = new CopyOnWriteArrayList<>();
    Watch watch = client.configMaps().withLabelIn("app", "a", "b").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap cm) {
        events.add(action + ":" + cm.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("ADDED:a1"));
      configMap("b1", "b");
      configMap("c2", "c");
      client.configMaps().withName("a1").edit(cm -> {
        cm.getMetadata().getLabels().put("app", "c");
        return cm;
      });
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events)
          .containsExactly("ADDED:a1", "ADDED:b1", "DELETED:a1"));
    } finally {
      watch.close();
    }
  }

  @Test
  void fieldSelectorsOnNonMetadataFields() {
    client.pods().resource(new PodBuilder().withNewMetadata().withName("on-a").endMetadata().withNewSpec()
        .withNodeName("node-a").addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
    client.pods().resource(new PodBuilder().withNewMetadata().withName("on-b").endMetadata().withNewSpec()
        .withNodeName("node-b").addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
    assertThat(names(client.pods().withField("spec.nodeName", "node-a").list().getItems())).containsExactly("on-a");
    assertThat(names(client.pods().withoutField("spec.nodeName", "node-a").list().getItems()))
        .containsExactly("on-b");
  }

  @Test
  void persistentVolumeClaimsArePrintedAsTables() throws Exception {
    client.persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-0")
        .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard")
        .withVolumeName("pv-1").withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
        .endSpec().withNewStatus().withPhase("Bound").withAccessModes("ReadWriteOnce", "ReadWriteMany")
        .addToCapacity("storage", new Quantity("1Gi")).endStatus().build()).create();

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.url() + "/api/v1/namespaces/default/persistentvolumeclaims"))
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json").build(),
        HttpResponse.BodyHandlers.ofString());

    JsonNode table = new ObjectMapper().readTree(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    List<String> columns = new java.util.ArrayList<>();
    table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
    assertThat(columns).startsWith("Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
        "VolumeAttributesClass", "Age");
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertThat(cells.get(0).asText()).isEqualTo("data-0");
    assertThat(cells.get(1).asText()).isEqualTo("Bound");
    assertThat(cells.get(2).asText()).isEqualTo("pv-1");
    assertThat(cells.get(3).asText()).isEqualTo("1Gi");
    assertThat(cells.get(4).asText()).isEqualTo("RWO,RWX");
    assertThat(cells.get(5).asText()).isEqualTo("standard");
    assertThat(cells.get(6).asText()).isEqualTo("<unset>");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
  }

  @Test
  void scaleSubresourceMapsToSpecReplicas() throws Exception {
    server.installCrd(ordinalSetCrd(client));
    var ordinalSets = client.genericKubernetesResources("ordinal.dev/v1alpha1", "OrdinalSet");
    ordinalSets.resource(ordinalSet("web", 1)).create();
    String scaleUrl = server.url() + "/apis/ordinal.dev/v1alpha1/namespaces/default/ordinalsets/web/scale";
    HttpClient http = HttpClient.newHttpClient();

    JsonNode scale = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(scaleUrl)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(scale.path("kind").asText()).isEqualTo("Scale");
    assertThat(scale.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(1);

    HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create(scaleUrl))
        .header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"spec\":{\"replicas\":5}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(patched.body()).path("spec").path("replicas").asInt()).isEqualTo(5);
    GenericKubernetesResource web = ordinalSets.inNamespace("default").withName("web").get();
    assertThat(((Map<?, ?>) web.getAdditionalProperties().get("spec")).get("replicas")).isEqualTo(5);

    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(scaleUrl))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\","
            + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    web = ordinalSets.inNamespace("default").withName("web").get();
    assertThat(((Map<?, ?>) web.getAdditionalProperties().get("spec")).get("replicas")).isEqualTo(2);
  }

  @Test
  void admissionValidatorRejectionsAre422InvalidStatuses() throws Exception {
    server.installCrd(ordinalSetCrd(client));
    List<String> seen = new CopyOnWriteArrayList<>();
    server.setAdmissionValidator((group, version, plural, newObject, old) -> {
      seen.add(group + "/" + version + "/" + plural + (old == null ? ":create" : ":update"));
      Object replicas = ((Map<?, ?>) newObject.get("spec")).get("replicas");
      return replicas instanceof Number n && n.intValue() < 0
          ? Optional.of("spec.replicas: Invalid value: " + n + ": should be greater than or equal to 0")
          : Optional.empty();
    });
    var ordinalSets = client.genericKubernetesResources("ordinal.dev/v1alpha1", "OrdinalSet");

    assertThatThrownBy(() -> ordinalSets.resource(ordinalSet("bad", -1)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getKind()).isEqualTo("Status");
          assertThat(e.getStatus().getStatus()).isEqualTo("Failure");
          assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
          assertThat(e.getStatus().getMessage()).isEqualTo("OrdinalSet.ordinal.dev \"bad\" is invalid: "
              + "spec.replicas: Invalid value: -1: should be greater than or equal to 0");
          assertThat(e.getStatus().getDetails().getKind()).isEqualTo("OrdinalSet");
          assertThat(e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("spec.replicas");
        });
    assertThat(ordinalSets.inNamespace("default").withName("bad").get()).isNull();

    ordinalSets.resource(ordinalSet("web", 1)).create();
    assertThatThrownBy(() -> ordinalSets.inNamespace("default").withName("web")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":-3}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    assertThat(seen).contains("ordinal.dev/v1alpha1/ordinalsets:create", "ordinal.dev/v1alpha1/ordinalsets:update");
    GenericKubernetesResource web = ordinalSets.inNamespace("default").withName("web").get();
    assertThat(((Map<?, ?>) web.getAdditionalProperties().get("spec")).get("replicas")).isEqualTo(1);
  }

  @Test
  void discoveryListsCustomResourcesWithSubresources() throws Exception {
    server.installCrd(ordinalSetCrd(client));
    JsonNode list = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.url() + "/apis/ordinal.dev/v1alpha1")).build(), HttpResponse.BodyHandlers.ofString()).body());
    List<String> names = new java.util.ArrayList<>();
    list.path("resources").forEach(r -> names.add(r.path("name").asText()));
    assertThat(names).containsExactly("ordinalsets", "ordinalsets/scale", "ordinalsets/status");
    assertThat(list.path("resources").get(0).path("shortNames").get(0).asText()).isEqualTo("ords");
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
  }
}
