package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.RequestRecorder;
import dev.ordinal.testing.real.RealHarness;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator beside the cluster's PV binder, which completes every pre-bound pair it sees: the
 * claims end Bound to exactly the volumes the operator reserved, a conflict with the binder counts
 * as done after a fresh read (no conflict storm), and no slow-start batch is aborted for it.
 */
class BinderCoexistenceRealTest {
  static final int REPLICAS = 40;

  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  @Test
  void claimsEndOnTheVolumesTheOperatorReservedWithoutConflictStorms() throws Exception {
    RequestRecorder requests = new RequestRecorder();
    harness.startOperator(RealHarness.defaultConfig(), requests::install);
    Cluster c = new Cluster(harness);
    for (int i = 0; i < REPLICAS; i++) {
      c.createPv(String.format("pv-%02d", i), "1Gi");
    }
    OrdinalSet set = c.web(REPLICAS);
    set.getSpec().setPodManagementPolicy(PodManagementPolicy.Parallel);
    c.create(set);
    String[] claims = IntStream.range(0, REPLICAS).mapToObj(i -> "www-web-" + i).toArray(String[]::new);
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (String claim : claims) {
        assertThat(c.claimPhase(claim)).as(claim).isEqualTo("Bound");
      }
      assertThat(IntStream.range(0, REPLICAS).allMatch(i -> c.isReady("web-" + i))).isTrue();
    });

    // The operator's reservations: the first successful PUT of each volume names its claim.
    ObjectMapper json = new ObjectMapper();
    Map<String, String> reservedFor = new HashMap<>();
    Map<String, Integer> conflicts = new TreeMap<>();
    for (RequestRecorder.Request r : requests.requests()) {
      var access = r.access();
      if (access.isEmpty() || !r.method().equals("PUT")) {
        continue;
      }
      if (r.code() == 409) {
        conflicts.merge(access.get().resource() + "/" + access.get().name().orElse(""), 1, Integer::sum);
      }
      if (access.get().resource().equals("persistentvolumes") && r.code() == 200) {
        JsonNode ref = json.readTree(r.body()).path("spec").path("claimRef");
        reservedFor.putIfAbsent(access.get().name().orElseThrow(), ref.path("name").asText());
      }
    }
    List<PersistentVolumeClaim> all = c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems();
    for (PersistentVolumeClaim claim : all) {
      String volume = claim.getSpec().getVolumeName();
      assertThat(reservedFor.get(volume)).as("the operator reserved %s for %s", volume, claim.getMetadata().getName())
          .isEqualTo(claim.getMetadata().getName());
      assertThat(c.client().persistentVolumes().withName(volume).get().getSpec().getClaimRef().getUid())
          .isEqualTo(claim.getMetadata().getUid());
    }
    System.out.println("[coexistence] operator 409s per object: " + conflicts);
    assertThat(conflicts.values()).as("no object conflicts again and again").allMatch(n -> n <= 2);
    // this set's batches only: sets left in namespaces of finished classes (being deleted) refuse writes with 403
    double aborted = harness.registry().find("ordinal_executor_batches_aborted_total").tag("namespace", c.ns())
        .counters().stream().mapToDouble(x -> x.count()).sum();
    assertThat(aborted).as("slow-start batches aborted").isZero();
  }
}
