package dev.ordinal.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {

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

  private ConfigMap owner(String name) {
    return client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
        .build()).create();
  }

  private void dependentPod(String name, ConfigMap... owners) {
    var meta = new PodBuilder().withNewMetadata().withName(name);
    for (ConfigMap o : owners) {
      meta.addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
          .withName(o.getMetadata().getName()).withUid(o.getMetadata().getUid()).build());
    }
    client.pods().resource(meta.endMetadata().withNewSpec().addNewContainer().withName("c").withImage("i")
        .endContainer().endSpec().build()).create();
  }

  @Test
  void deletesDependentsWhoseOwnersAreAllGone() {
    ConfigMap a = owner("a");
    ConfigMap b = owner("b");
    dependentPod("only-a", a);
    dependentPod("a-and-b", a, b);

    client.configMaps().withName("a").delete();

    await().atMost(Duration.ofSeconds(10)).until(() -> client.pods().withName("only-a").get() == null);
    assertThat(client.pods().withName("a-and-b").get()).as("one owner is left").isNotNull();

    client.configMaps().withName("b").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.pods().withName("a-and-b").get() == null);
  }

  @Test
  void orphanPropagationStripsTheOwnerReferenceInstead() {
    ConfigMap a = owner("a");
    dependentPod("kept", a);

    client.configMaps().withName("a").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        client.pods().withName("kept").get().getMetadata().getOwnerReferences().isEmpty());
    assertThat(client.pods().withName("kept").get()).isNotNull();
  }

  @Test
  void ownerRecreatedWithAnotherUidDoesNotKeepDependents() {
    ConfigMap a = owner("a");
    dependentPod("stale", a);
    client.configMaps().withName("a").delete();
    owner("a");
    await().atMost(Duration.ofSeconds(10)).until(() -> client.pods().withName("stale").get() == null);
  }

  @Test
  void danglingReferenceBesideALiveOwnerIsRemovedAndTheDependentStays() {
    // kube-controller-manager's attemptToDeleteItem: solid owners keep the dependent, dangling ones are patched away
    ConfigMap a = owner("a");
    ConfigMap b = owner("b");
    dependentPod("a-and-b", a, b);

    client.configMaps().withName("a").delete();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        client.pods().withName("a-and-b").get().getMetadata().getOwnerReferences().size() == 1);
    assertThat(client.pods().withName("a-and-b").get().getMetadata().getOwnerReferences())
        .singleElement().satisfies(r -> assertThat(r.getUid()).isEqualTo(b.getMetadata().getUid()));
  }

  @Test
  void ownerRecreatedWithTheSameNameDoesNotSaveADependentThatNamesTheOldOne() {
    // the claim of a deleted pod, beside a new pod of the same name: owners are identified by uid
    ConfigMap a = owner("a");
    ConfigMap b = owner("b");
    dependentPod("a-and-b", a, b);
    client.configMaps().withName("a").delete();
    ConfigMap newA = owner("a");

    await().atMost(Duration.ofSeconds(10)).until(() ->
        client.pods().withName("a-and-b").get().getMetadata().getOwnerReferences().size() == 1);
    assertThat(client.pods().withName("a-and-b").get().getMetadata().getOwnerReferences())
        .noneMatch(r -> r.getUid().equals(a.getMetadata().getUid()) || r.getUid().equals(newA.getMetadata().getUid()));
  }

  @Test
  void deleteIsGuardedByTheResourceVersionJudged() {
    // a dependent taken over between the collector's judgement and its delete is not deleted
    ConfigMap a = owner("a");
    dependentPod("taken-over", a);
    var judged = client.pods().withName("taken-over").get();
    client.pods().withName("taken-over").edit(p -> {
      p.getMetadata().setLabels(java.util.Map.of("taken", "over"));
      return p;
    });

    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            client.pods().withName("taken-over").lockResourceVersion(judged.getMetadata().getResourceVersion()).delete())
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .satisfies(e -> assertThat(((io.fabric8.kubernetes.client.KubernetesClientException) e).getCode()).isEqualTo(409));
    assertThat(client.pods().withName("taken-over").get()).isNotNull();
  }
}
