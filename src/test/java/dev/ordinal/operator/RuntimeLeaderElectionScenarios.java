package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Harness;
import dev.ordinal.testing.RequestRecorder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Two replicas with leader election: only the leader writes; when it stops mid scale-up, the other finishes. */
abstract class RuntimeLeaderElectionScenarios {
  /** The tier, without an operator of its own: the test starts two. */
  protected abstract Harness harness();

  /** A client as the operator has it on this tier, with the interceptor the customizer adds. */
  protected abstract KubernetesClient operatorClient(Consumer<KubernetesClientBuilder> customizer);

  /** Where the operator may hold its Lease on this tier. */
  protected abstract String leaseNamespace(Cluster c);

  static final Duration LEASE = Duration.ofSeconds(3);

  @Test
  void standbyTakesOverMidScaleUpAndFinishesWithoutDuplicates() throws Exception {
    Cluster c = new Cluster(harness());
    RequestRecorder recA = new RequestRecorder();
    RequestRecorder recB = new RequestRecorder();
    KubernetesClient clientA = operatorClient(recA::install);
    KubernetesClient clientB = operatorClient(recB::install);
    OperatorConfig config = OperatorConfig.local(Set.of()).withLeaderElection(leaseNamespace(c), "leader-" + c.ns()).withLeaseDuration(LEASE);
    OrdinalOperator a = OrdinalOperator.create(clientA, config, new SimpleMeterRegistry(), Instant::now);
    OrdinalOperator b = OrdinalOperator.create(clientB, config, new SimpleMeterRegistry(), Instant::now);
    try {
      a.start();
      await().atMost(Cluster.TIMEOUT).until(a::isLeader);
      b.start();
      assertThat(b.isLeader()).isFalse();
      harness().kubelet().setReadyDelay(Duration.ofMillis(700));
      for (int i = 0; i < 5; i++) {
        c.createPv("pv-" + i, "1Gi");
      }
      c.create(c.web(5));
      await().atMost(Cluster.TIMEOUT).until(() -> c.pod("web-1") != null);
      assertThat(writes(recB)).as("the standby wrote nothing while a led").isEmpty();
      assertThat(b.isLeader()).isFalse();

      Instant killed = Instant.now();
      a.close();
      await().atMost(LEASE.multipliedBy(3)).until(b::isLeader);
      System.out.println("[le] takeover after " + Duration.between(killed, Instant.now()).toMillis() + " ms (lease " + LEASE.toMillis() + " ms)");
      c.awaitReady("web-0", "web-1", "web-2", "web-3", "web-4");
      c.awaitBound("www-web-0", "www-web-1", "www-web-2", "www-web-3", "www-web-4");

      Map<String, Integer> created = new HashMap<>();
      ObjectMapper json = new ObjectMapper();
      for (RequestRecorder.Request r : Stream.concat(recA.requests().stream(), recB.requests().stream()).toList()) {
        if (r.method().equals("POST") && r.code() == 201 && r.access().map(x -> x.resource().equals("pods")).orElse(false)) {
          created.merge(json.readTree(r.body()).path("metadata").path("name").asText(), 1, Integer::sum);
        }
      }
      assertThat(created).as("successful pod creates per name, both operators").isEqualTo(
          Map.of("web-0", 1, "web-1", 1, "web-2", 1, "web-3", 1, "web-4", 1));
      assertThat(writes(recB)).as("b wrote after taking over").isNotEmpty();

      List<Pod> pods = c.client().pods().inNamespace(c.ns()).list().getItems();
      assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("web-0", "web-1", "web-2", "web-3", "web-4");
      for (Pod p : pods) {
        assertThat(p.getSpec().getVolumes()).anySatisfy(v ->
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-" + p.getMetadata().getName()));
      }
      List<String> volumes = c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems().stream()
          .map(pvc -> pvc.getSpec().getVolumeName()).toList();
      assertThat(volumes).hasSize(5).doesNotHaveDuplicates().doesNotContainNull();
    } finally {
      harness().kubelet().setReadyDelay(Duration.ZERO);
      a.close();
      b.close();
      clientA.close();
      clientB.close();
    }
  }

  /** Writes other than the leader election's own (Lease, access review). */
  private static List<String> writes(RequestRecorder rec) {
    return rec.requests().stream()
        .filter(r -> !r.method().equals("GET"))
        .filter(r -> r.access().map(x -> !x.resource().equals("leases") && !x.resource().equals("selfsubjectrulesreviews")).orElse(true))
        .map(r -> r.method() + " " + r.uri().getPath())
        .toList();
  }
}
