package dev.ordinal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.RequestRecorder;
import dev.ordinal.testing.real.RealHarness;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kube-apiserver stopped and started again (same port, same etcd) in the middle of a Parallel
 * scale-up: the operator's watches resume, it finishes the set, creates no pod twice and loses no
 * claim; every claim ends Bound to its own volume.
 */
class ApiServerRestartRealTest {
  static final int REPLICAS = 20;

  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  @Test
  void apiServerRestartMidParallelScaleUpConvergesWithoutDuplicatesOrLostClaims() throws Exception {
    RequestRecorder requests = new RequestRecorder();
    harness.startOperator(RealHarness.defaultConfig(), requests::install);
    Cluster c = new Cluster(harness);
    for (int i = 0; i < REPLICAS; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    harness.kubelet().setReadyDelay(Duration.ofMillis(300));
    try {
      OrdinalSet set = c.web(REPLICAS);
      set.getSpec().setPodManagementPolicy(PodManagementPolicy.Parallel);
      c.create(set);
      await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().size() >= 3);
      harness.controlPlane().restartApiServer(Duration.ofSeconds(3));
      // A restarted API server answers 403 for a moment while its RBAC cache warms up (not ours to fix).
      await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      harness.forbidden().drain();

      String[] pods = IntStream.range(0, REPLICAS).mapToObj(i -> "web-" + i).toArray(String[]::new);
      String[] claims = IntStream.range(0, REPLICAS).mapToObj(i -> "www-web-" + i).toArray(String[]::new);
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(c.podNames()).containsExactlyInAnyOrder(pods);
        for (String p : pods) {
          assertThat(c.isReady(p)).as(p + " Ready").isTrue();
        }
      });
      c.awaitBound(claims);

      Map<String, Integer> created = new HashMap<>();
      ObjectMapper json = new ObjectMapper();
      for (RequestRecorder.Request r : requests.requests()) {
        if (r.method().equals("POST") && r.code() == 201 && r.access().map(x -> x.resource().equals("pods")).orElse(false)) {
          created.merge(json.readTree(r.body()).path("metadata").path("name").asText(), 1, Integer::sum);
        }
      }
      assertThat(created.values()).as("successful pod creates per name").allMatch(n -> n == 1);
      List<PersistentVolumeClaim> all = c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems();
      assertThat(all).hasSize(REPLICAS);
      assertThat(all).extracting(pvc -> pvc.getSpec().getVolumeName()).doesNotContainNull().doesNotHaveDuplicates();
      for (PersistentVolumeClaim pvc : all) {
        PersistentVolume pv = c.client().persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
        assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo(pvc.getMetadata().getName());
        assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(pvc.getMetadata().getUid());
      }
    } finally {
      harness.kubelet().setReadyDelay(Duration.ZERO);
    }
  }
}
