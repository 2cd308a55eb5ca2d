package dev.ordinal.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PersistentVolumeControllerTest {

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

  private String phase(String pv) {
    PersistentVolume v = client.persistentVolumes().withName(pv).get();
    return v == null ? "<gone>" : v.getStatus() == null ? null : v.getStatus().getPhase();
  }

  private PersistentVolume volume(String name, String reclaimPolicy) {
    return client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").addToCapacity("storage", new Quantity("1Gi"))
        .withPersistentVolumeReclaimPolicy(reclaimPolicy).withNewHostPath().withPath("/tmp/" + name).endHostPath()
        .endSpec().build()).create();
  }

  /** Binds as the operator would: claimRef on the PV, phase Bound. */
  private void bind(String pv, PersistentVolumeClaim claim) {
    client.persistentVolumes().withName(pv).edit(v -> {
      v.getSpec().setClaimRef(new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
          .withKind("PersistentVolumeClaim").withNamespace("default").withName(claim.getMetadata().getName())
          .withUid(claim.getMetadata().getUid()).build());
      v.getStatus().setPhase("Bound");
      return v;
    });
  }

  private PersistentVolumeClaim claim(String name) {
    return client.persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName(name).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
  }

  @Test
  void newVolumeBecomesAvailableAndIsReleasedWithItsClaimRefWhenTheClaimGoes() {
    volume("pv-1", "Retain");
    await().atMost(Duration.ofSeconds(10)).until(() -> "Available".equals(phase("pv-1")));

    PersistentVolumeClaim c = claim("data-0");
    bind("pv-1", c);
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> "Bound".equals(phase("pv-1")));

    client.persistentVolumeClaims().withName("data-0").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Released".equals(phase("pv-1")));
    assertThat(client.persistentVolumes().withName("pv-1").get().getSpec().getClaimRef().getName())
        .isEqualTo("data-0");
  }

  @Test
  void claimRecreatedWithAnotherUidReleasesTheVolume() {
    volume("pv-2", "Retain");
    await().atMost(Duration.ofSeconds(10)).until(() -> "Available".equals(phase("pv-2")));
    bind("pv-2", claim("data-1"));
    client.persistentVolumeClaims().withName("data-1").delete();
    claim("data-1");
    await().atMost(Duration.ofSeconds(10)).until(() -> "Released".equals(phase("pv-2")));
  }

  @Test
  void deletePolicyDeletesTheVolumeOfAGoneClaim() {
    volume("pv-3", "Delete");
    await().atMost(Duration.ofSeconds(10)).until(() -> "Available".equals(phase("pv-3")));
    bind("pv-3", claim("data-2"));
    client.persistentVolumeClaims().withName("data-2").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> "<gone>".equals(phase("pv-3")));
  }
}
