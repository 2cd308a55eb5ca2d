package dev.ordinal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.spec.StatefulSetDefinitions;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.RequestRecorder;
import dev.ordinal.testing.real.RealHarness;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Parallel StatefulSet of N replicas with N static PVs on the real control plane, twice: with
 * the cluster's StatefulSet controller and PV binder alone (an unlabelled set, our operator not
 * running), then labelled for the storage mode with our operator beside them. Prints the time to
 * all claims Bound and all pods Ready, and for the storage mode how many claims ended on the
 * volume our binder reserved and our 409s. Skipped unless {@code -Dordinal.bench=true}.
 *
 * <pre>
 * ./mvnw -B test -Dtest=StatefulSetStorageBenchmarkTest -Dordinal.bench=true [-Dordinal.bench.replicas=200]
 * </pre>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulSetStorageBenchmarkTest {
  private static final int REPLICAS = Integer.getInteger("ordinal.bench.replicas", 200);
  private static final Duration TIMEOUT = Duration.ofSeconds(Integer.getInteger("ordinal.bench.timeout", 900));

  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  private static final Map<String, String> results = new TreeMap<>();

  @Test
  @Order(1)
  void clustersBinderAlone() {
    assumeTrue(Boolean.getBoolean("ordinal.bench"), "benchmark: run with -Dordinal.bench=true");
    Cluster c = new Cluster(harness);
    StatefulSet sts = statefulSet(c);
    sts.getMetadata().getLabels().remove(StatefulSetDefinitions.STORAGE_LABEL);
    Milestones m = run(c, sts);
    results.put("1 cluster alone", m.describe());
    System.out.println("[sts-bench] cluster's StatefulSet controller and PV binder alone, " + REPLICAS + " replicas: " + m.describe());
  }

  @Test
  @Order(2)
  void storageModeBesideTheCluster() throws Exception {
    assumeTrue(Boolean.getBoolean("ordinal.bench"), "benchmark: run with -Dordinal.bench=true");
    RequestRecorder requests = new RequestRecorder();
    harness.startOperator(RealHarness.defaultConfig(), requests::install);
    Cluster c = new Cluster(harness);
    Milestones m = run(c, statefulSet(c));
    requests.stop();
    harness.stopOperator();

    ObjectMapper json = new ObjectMapper();
    Map<String, String> reservedFor = new HashMap<>();
    Map<String, Integer> conflicts = new TreeMap<>();
    int writes = 0;
    for (RequestRecorder.Request r : requests.requests()) {
      var access = r.access();
      if (access.isEmpty() || r.method().equals("GET")) {
        continue;
      }
      writes++;
      if (r.code() == 409) {
        conflicts.merge(r.method() + " " + access.get().resource(), 1, Integer::sum);
      }
      if (access.get().resource().equals("persistentvolumes") && r.method().equals("PUT") && r.code() == 200) {
        JsonNode ref = json.readTree(r.body()).path("spec").path("claimRef");
        reservedFor.putIfAbsent(access.get().name().orElseThrow(), ref.path("name").asText());
      }
    }
    List<PersistentVolumeClaim> claims = c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems();
    long ours = claims.stream().filter(cl -> cl.getMetadata().getName().equals(reservedFor.get(cl.getSpec().getVolumeName()))).count();
    String line = m.describe() + "; claims on the volume our binder reserved " + ours + "/" + claims.size()
        + "; our writes " + writes + " (" + String.format("%.2f", writes / (double) REPLICAS) + "/replica); our 409s " + conflicts;
    results.put("2 storage mode", line);
    System.out.println("[sts-bench] storage mode beside the cluster's controllers, " + REPLICAS + " replicas: " + line);
    System.out.println("[sts-bench] summary, " + Runtime.getRuntime().availableProcessors() + " cores, load average now "
        + String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + ":\n  " + String.join("\n  ", results.values()));
    assertThat(claims).hasSize(REPLICAS);
  }

  private static StatefulSet statefulSet(Cluster c) {
    StatefulSet sts = Fixtures.statefulSet(c.ns(), "web", REPLICAS, c.storageClass(), "1Gi");
    sts.getSpec().setPodManagementPolicy("Parallel");
    return sts;
  }

  private static Milestones run(Cluster c, StatefulSet sts) {
    for (int i = 0; i < REPLICAS; i++) {
      c.createPv(String.format("pv-%04d", i), "1Gi");
    }
    // The PV controller marks new volumes Available; start once it has seen them all.
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (c.client().persistentVolumes().list().getItems().stream()
        .filter(pv -> pv.getMetadata().getName().startsWith(c.ns() + "-"))
        .anyMatch(pv -> pv.getStatus() == null || !"Available".equals(pv.getStatus().getPhase()))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("PVs not Available within 120 s");
      }
      sleep(200);
    }
    long start = System.nanoTime();
    c.client().apps().statefulSets().inNamespace(c.ns()).resource(sts).create();
    Double bound = null;
    Double ready = null;
    long end = start + TIMEOUT.toNanos();
    while ((bound == null || ready == null) && System.nanoTime() < end) {
      sleep(250);
      double t = (System.nanoTime() - start) / 1e9;
      if (bound == null && c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems().stream()
          .filter(cl -> cl.getStatus() != null && "Bound".equals(cl.getStatus().getPhase())).count() == REPLICAS) {
        bound = t;
      }
      if (ready == null && c.client().pods().inNamespace(c.ns()).list().getItems().stream()
          .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null
              && p.getStatus().getConditions().stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus())))
          .count() == REPLICAS) {
        ready = t;
      }
    }
    return new Milestones(bound, ready);
  }

  private record Milestones(Double allBound, Double allReady) {
    String describe() {
      return "all claims Bound " + (allBound == null ? "not within the timeout" : String.format("%.1f s", allBound))
          + ", all pods Ready " + (allReady == null ? "not within the timeout" : String.format("%.1f s", allReady));
    }
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
