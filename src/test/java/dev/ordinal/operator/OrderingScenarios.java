package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.Ordinals;
import dev.ordinal.sandbox.KubeletSimulator.Behaviour;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.Harness;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ordered creation, ordered scale-down, Parallel, ordinals.start and pod identity, through the real loop. */
abstract class OrderingScenarios {
  /** The tier these scenarios run on. */
  protected abstract Harness harness();

  @Test
  void scalingUpCreatesOrdinalsInOrderAndScalingDownDeletesHighestFirst() {
    Cluster c = new Cluster(harness());
    for (int i = 0; i < 5; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    c.create(c.web(2));
    c.awaitReady("web-0", "web-1");
    try (var events = c.recordPodEvents()) {
      c.scale("web", 5);
      c.awaitReady("web-2", "web-3", "web-4");
      // Watch events may trail what a GET already shows (a real API server's watch cache does).
      await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
          assertThat(events.seen()).filteredOn(e -> e.startsWith("+") && !e.equals("+web-0") && !e.equals("+web-1"))
              .containsExactly("+web-2", "+web-3", "+web-4"));
      c.scale("web", 2);
      await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().size() == 2);
      await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
          assertThat(events.seen()).filteredOn(e -> e.startsWith("-")).containsExactly("-web-4", "-web-3", "-web-2"));
    }
    assertThat(c.podNames()).containsExactly("web-0", "web-1");
    // Scale-down never deletes claims (retention Retain by default).
    assertThat(c.claimPhase("www-web-4")).isEqualTo("Bound");
  }

  @Test
  void orderedReadyWaitsForEachPodToBeReadyBeforeCreatingTheNext() {
    Cluster c = new Cluster(harness());
    for (int i = 0; i < 3; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    harness().kubelet().behave(c.ns(), "web-0", Behaviour.STAY_UNREADY);
    c.create(c.web(3));
    await().atMost(Cluster.TIMEOUT).until(() -> c.pod("web-0") != null);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> c.pod("web-1") == null);
    assertThat(c.condition("web", "Progressing")).hasValueSatisfying(cond ->
        assertThat(cond.getMessage()).contains("web-0 is not Ready"));
    harness().kubelet().heal(c.ns(), "web-0");
    c.awaitReady("web-0", "web-1", "web-2");
  }

  @Test
  void parallelCreatesAllPodsWithoutWaiting() {
    Cluster c = new Cluster(harness());
    for (int i = 0; i < 3; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    harness().kubelet().behave(c.ns(), "web-0", Behaviour.STAY_UNREADY);
    c.create(Fixtures.parallel(c.web(3)));
    c.awaitReady("web-1", "web-2");
    assertThat(c.isReady("web-0")).isFalse();
    harness().kubelet().heal(c.ns(), "web-0");
    c.awaitReady("web-0");
  }

  @Test
  void ordinalsStartNumbersPodsAndClaimsFromTheGivenOrdinal() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-a", "1Gi");
    c.createPv("pv-b", "1Gi");
    OrdinalSet set = c.web(2);
    set.getSpec().setOrdinals(new Ordinals(3));
    c.create(set);
    c.awaitReady("web-3", "web-4");
    c.awaitBound("www-web-3", "www-web-4");
    assertThat(c.podNames()).containsExactly("web-3", "web-4");
  }

  @Test
  void deletedPodComesBackWithTheSameClaimAndVolume() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-a", "1Gi");
    c.createPv("pv-b", "1Gi");
    c.create(c.web(2));
    c.awaitReady("web-0", "web-1");
    String volume = c.claim("www-web-0").getSpec().getVolumeName();
    String oldUid = c.pod("web-0").getMetadata().getUid();
    c.client().pods().inNamespace(c.ns()).withLabel("app", "nginx").delete();
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      assertThat(c.pod("web-0")).isNotNull();
      assertThat(c.pod("web-0").getMetadata().getUid()).isNotEqualTo(oldUid);
    });
    c.awaitReady("web-0", "web-1");
    assertThat(c.pod("web-0").getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0"));
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(volume);
  }

  @Test
  void failedPodIsReplacedAndKeepsItsClaim() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-a", "1Gi");
    c.create(c.web(1));
    c.awaitReady("web-0");
    String uid = c.pod("web-0").getMetadata().getUid();
    String volume = c.claim("www-web-0").getSpec().getVolumeName();
    harness().kubelet().behave(c.ns(), "web-0", Behaviour.FAIL);
    await().atMost(Cluster.TIMEOUT).until(() -> {
      var pod = c.pod("web-0");
      return pod != null && !uid.equals(pod.getMetadata().getUid());
    });
    harness().kubelet().heal(c.ns(), "web-0");
    c.awaitReady("web-0");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(volume);
  }

  @Test
  void foreignPodsMatchingTheSelectorAreLeftAlone() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-a", "1Gi");
    c.client().pods().inNamespace(c.ns()).resource(new PodBuilder()
        .withNewMetadata().withName("web-debug").withLabels(Map.of("app", "nginx", "ordinal.dev/set-name", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("sh").withImage("busybox").endContainer().endSpec()
        .build()).create();
    c.create(c.web(1));
    c.awaitReady("web-0");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> assertThat(c.set("web").getStatus().getReplicas()).isEqualTo(1));
    assertThat(c.pod("web-debug")).isNotNull();
  }
}
