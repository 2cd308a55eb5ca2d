package dev.ordinal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's scheduler half: a pod whose Immediate claim is not Bound at its first attempt
 * is placed once the claim is Bound, at once by default, or after kube-scheduler's back-off when
 * one is set (what a real cluster does to a pod created beside a claim still being bound).
 */
class KubeletSimulatorSchedulingMockTest {
  private static EmbeddedApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = EmbeddedApiServer.start(0);
    client = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void podWaitsOutTheSchedulersBackOffWhenItsClaimWasUnboundAtFirstLook() {
    try (KubeletSimulator kubelet = new KubeletSimulator(client, KubeletSimulator.NODE_NAME, Instant::now).start()) {
      kubelet.setSchedulingBackoff(Duration.ofSeconds(1));
      Duration placedAfterBound = placeAfterBinding("backoff");
      assertThat(placedAfterBound).as("retried only when the 1-s back-off of its first attempt ends")
          .isGreaterThan(Duration.ofMillis(700));
    }
  }

  @Test
  void withoutBackOffAPodIsPlacedAsSoonAsItsClaimIsBound() {
    try (KubeletSimulator kubelet = new KubeletSimulator(client, KubeletSimulator.NODE_NAME, Instant::now).start()) {
      Duration placedAfterBound = placeAfterBinding("nobackoff");
      assertThat(placedAfterBound).isLessThan(Duration.ofMillis(700));
    }
  }

  /** Creates a claim and a pod on it, binds the claim once the pod was found unschedulable, and returns how long placing it took after that. */
  private static Duration placeAfterBinding(String ns) {
    var claims = client.persistentVolumeClaims().inNamespace(ns);
    claims.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("manual")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
    client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("app-0").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume()
        .endSpec().build()).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Pod p = client.pods().inNamespace(ns).withName("app-0").get();
      return p.getStatus() != null && "Pending".equals(p.getStatus().getPhase());
    });
    PersistentVolumeClaim claim = claims.withName("data").get();
    claim.getSpec().setVolumeName("pv-1");
    claims.resource(claim).update();
    claim = claims.withName("data").get();
    claim.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
    claims.resource(claim).updateStatus();
    long bound = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> client.pods().inNamespace(ns).withName("app-0").get().getSpec().getNodeName() != null);
    return Duration.ofNanos(System.nanoTime() - bound);
  }
}
