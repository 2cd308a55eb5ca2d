package dev.ordinal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.OrdinalSetStatus;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.naming.Labels;
import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.RequestRecorder;
import dev.ordinal.testing.real.RealHarness;
import dev.ordinal.testing.real.SharedControlPlane;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: kube-apiserver stopped for 5 s (and started again over the same etcd) 1.5 s into each
 * phase of a Parallel set's life: scale-up 0 -> N, a rolling update (image change), scale-down to
 * 10. Each round has its own set; the volumes of all rounds (N+2 each) are created up front. The operator runs as the chart's ServiceAccount with leader election on, as in a cluster.
 *
 * <p>A phase converges when the set has exactly the desired pods, all Ready on the update
 * revision, every claim Bound and the status caught up. A round is stuck when any of its phases
 * did not converge within {@link #CONVERGE} of the API server being ready again. After every
 * phase: no pod created twice, every claim ever created still there and Bound to its own volume
 * (the volume's claimRef names the claim and carries its uid), no volume shared.
 *
 * <p>2 rounds by default (CI); more with {@code -Dordinal.restart.rounds=10}, another size with
 * {@code -Dordinal.restart.replicas=40} (docs/reliability.md has the command and the figures).
 */
class ApiServerRestartRoundsRealTest {
  static final int ROUNDS = Integer.getInteger("ordinal.restart.rounds", 2);
  static final int REPLICAS = Integer.getInteger("ordinal.restart.replicas", 20);
  static final int SCALED_DOWN = 10;
  static final Duration CHANGE_TO_STOP = Duration.ofMillis(1500);
  static final Duration DOWN = Duration.ofSeconds(5);
  static final Duration CONVERGE = Duration.ofSeconds(60);
  /** After a stuck phase, how much longer to watch whether it recovers at all (for the report). */
  static final Duration GRACE = Duration.ofSeconds(Long.getLong("ordinal.restart.graceSeconds", 60));

  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  private final AtomicInteger leaseLosses = new AtomicInteger();
  private final List<String> healthMisses = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Test
  void parallelSetsConvergeInEveryPhaseAcrossApiServerRestarts() throws Exception {
    RequestRecorder requests = new RequestRecorder();
    OrdinalOperator operator = harness.startOperator(config(), requests::install, () -> restartAfterLostLease(requests));
    Cluster c = new Cluster(harness);
    harness.kubelet().setReadyDelay(Duration.ofMillis(300));
    List<String> report = new ArrayList<>();
    int stuckRounds = 0;
    Instant t0 = Instant.now();
    try {
      org.awaitility.Awaitility.await().atMost(Cluster.TIMEOUT).until(operator::isLeader);
      // Every round's volumes up front (N+2 per round, one storage class): a new PV is Pending
      // until kube-controller-manager's PV controller makes it Available, and neither the
      // cluster's binder nor ours binds it before. After restarts the controller-manager's
      // informers back off (client-go: up to 30 s plus jitter, reset only after 2 min without
      // errors), so PVs created between rounds waited up to 86 s for it: the cluster catching
      // up, not the operator. Created now, while the API server is steady, they are Available at once.
      for (int i = 0; i < (REPLICAS + 2) * ROUNDS; i++) {
        c.createPv("pv-" + i, "1Gi");
      }
      Instant pvsCreated = Instant.now();
      Optional<Duration> available = awaitQuietly(Duration.ofSeconds(180),
          () -> pvPhases(c).equals(Map.of("Available", (REPLICAS + 2) * ROUNDS)));
      System.out.println("[restart-rounds] " + (REPLICAS + 2) * ROUNDS + " PVs Available "
          + available.map(d -> d.toMillis() / 100 / 10.0 + " s").orElse("NOT within 180 s") + " after creation " + pvsCreated);
      for (int round = 1; round <= ROUNDS; round++) {
        String name = "s" + round;
        OrdinalSet set = Fixtures.set(c.ns(), name, 0, c.storageClass(), "1Gi");
        set.getSpec().setPodManagementPolicy(PodManagementPolicy.Parallel);
        set.getSpec().setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", name)).build());
        set.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", name));
        c.create(set);
        awaitQuietly(Duration.ofSeconds(30), () -> observed(c, name));

        List<String> phases = new ArrayList<>();
        boolean stuck = false;
        stuck |= phase(c, name, "scale-up", REPLICAS, phases, () -> c.scale(name, REPLICAS));
        stuck |= phase(c, name, "rolling-update", REPLICAS, phases, () -> c.mergePatch(name,
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.9.2\"}]}}}}"));
        stuck |= phase(c, name, "scale-down", SCALED_DOWN, phases, () -> c.scale(name, SCALED_DOWN));
        if (stuck) {
          stuckRounds++;
        }
        String line = "[restart-rounds] round " + round + "/" + ROUNDS + (stuck ? " STUCK" : " ok") + ": " + String.join(", ", phases)
            + "; lease losses so far " + leaseLosses.get();
        System.out.println(line);
        report.add(line);
        assertInvariants(c, requests, round);
      }
    } finally {
      harness.kubelet().setReadyDelay(Duration.ZERO);
      System.out.println("[restart-rounds] " + ROUNDS + " rounds of " + REPLICAS + " replicas in "
          + Duration.between(t0, Instant.now()).toSeconds() + " s; stuck rounds " + stuckRounds + "; lease losses " + leaseLosses.get()
          + "; readiness misses " + healthMisses);
    }
    assertThat(healthMisses).as("readiness follows the watches: unready during each outage, ready again after").isEmpty();
    assertThat(stuckRounds).as("rounds in which a set did not converge within %s of the API server's return: %s", CONVERGE, report)
        .isZero();
  }

  private static dev.ordinal.operator.config.OperatorConfig config() {
    return RealHarness.defaultConfig().withLeaderElection(SharedControlPlane.OPERATOR_NAMESPACE, "restart-rounds-" + harness.namespace());
  }

  /** Where a pod's process exits (and the kubelet starts it again), a new operator replaces this one. */
  private void restartAfterLostLease(RequestRecorder requests) {
    int n = leaseLosses.incrementAndGet();
    Thread.ofPlatform().name("pod-restart-" + n).start(() -> {
      System.out.println("[restart-rounds] lease lost (" + n + "): restarting the operator as the kubelet would restart the pod");
      // A process that cannot start (the API server still away) exits; the kubelet starts it again
      // after its crash-loop back-off: 10 s, doubling.
      Duration backOff = Duration.ofSeconds(10);
      while (true) {
        harness.stopOperator();
        try {
          harness.startOperator(config(), requests::install, () -> restartAfterLostLease(requests));
          return;
        } catch (RuntimeException e) {
          System.out.println("[restart-rounds] the restarted operator could not start (" + e.getMessage() + "); next start in "
              + backOff.toSeconds() + " s");
          sleep(backOff);
          backOff = backOff.multipliedBy(2);
        }
      }
    });
  }

  /** One phase: the change, 1.5 s later the API server stops for 5 s; true when stuck. */
  private boolean phase(Cluster c, String name, String phase, int replicas, List<String> phases, Runnable change) {
    Instant changed = Instant.now();
    change.run();
    sleep(CHANGE_TO_STOP);
    harness.controlPlane().stopApiServer();
    sleep(DOWN.minusSeconds(1));
    // The watches dropped with the API server: readiness says so (liveness waits for the stall limit).
    var during = harness.operator().health();
    if (during.ready() || !during.live()) {
      healthMisses.add(name + " " + phase + " during the outage: ready=" + during.ready() + " live=" + during.live() + " " + during.describe());
    }
    sleep(Duration.ofSeconds(1));
    harness.controlPlane().startApiServerAgain();
    Instant back = Instant.now();
    // A restarted API server answers 403 for a moment while its RBAC cache warms up (not ours to fix).
    sleep(Duration.ofSeconds(3));
    harness.forbidden().drain();
    Optional<Duration> took = awaitQuietly(CONVERGE, () -> converged(c, name, replicas).isEmpty());
    if (awaitQuietly(Duration.ofSeconds(40), () -> harness.operator().health().ready()).isEmpty()) {
      healthMisses.add(name + " " + phase + ": not ready again 40 s after the API server returned: " + harness.operator().health().describe());
    }
    if (took.isPresent()) {
      phases.add(phase + " " + Duration.between(changed, Instant.now()).toMillis() / 100 / 10.0 + "s (API server down "
          + Duration.between(changed, back).toMillis() / 100 / 10.0 + "s)");
      return false;
    }
    String why = converged(c, name, replicas).orElse("?");
    long reconciles = reconciles(name);
    sleep(Duration.ofSeconds(12));
    System.out.println("[restart-rounds] " + name + " " + phase + " NOT converged " + CONVERGE.toSeconds() + " s after the API server returned: "
        + why + "\n  reconciles of " + name + " in the next 12 s: " + (reconciles(name) - reconciles)
        + "\n  operator health: " + harness.operator().health().describe() + "\n  informers: " + harness.operator().informers()
        + "\n  PVs by phase: " + pvPhases(c)
        + "\n  claims: " + claimsReport(c, name, replicas) + "\n  status: " + c.set(name).getStatus()
        + "\n  reconciler threads: " + reconcilerThreads());
    Optional<Duration> late = awaitQuietly(GRACE, () -> converged(c, name, replicas).isEmpty());
    phases.add(phase + " STUCK (" + why + ")" + late.map(d -> ", converged " + d.toSeconds() + " s later").orElse(", still not after " + GRACE.toSeconds() + " s more"));
    return true;
  }

  /** Where the reconciler threads are: a reconcile blocked in a request would show here. */
  private static String reconcilerThreads() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((t, stack) -> {
      if (t.getName().startsWith("ReconcilerExecutor") && stack.length > 0) {
        out.append("\n    ").append(t.getName()).append(" ").append(t.getState());
        for (int i = 0; i < Math.min(8, stack.length); i++) {
          out.append("\n      at ").append(stack[i]);
        }
      }
    });
    return out.length() == 0 ? "none" : out.toString();
  }

  private static Map<String, Integer> pvPhases(Cluster c) {
    Map<String, Integer> phases = new java.util.TreeMap<>();
    for (PersistentVolume pv : c.client().persistentVolumes().list().getItems()) {
      if (pv.getMetadata().getName().startsWith(c.pvName("pv-"))) {
        phases.merge(pv.getStatus() == null || pv.getStatus().getPhase() == null ? "none" : pv.getStatus().getPhase(), 1, Integer::sum);
      }
    }
    return phases;
  }

  private static long reconciles(String set) {
    return harness.registry().find("ordinal_reconcile_duration").tag("set", set).timers().stream().mapToLong(t -> t.count()).sum();
  }

  private static String claimsReport(Cluster c, String name, int replicas) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      PersistentVolumeClaim pvc = c.claim("www-" + name + "-" + i);
      if (pvc == null) {
        out.add("www-" + name + "-" + i + ": missing");
      } else if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
        String vol = pvc.getSpec().getVolumeName();
        PersistentVolume pv = vol == null ? null : c.client().persistentVolumes().withName(vol).get();
        out.add(pvc.getMetadata().getName() + ": " + (pvc.getStatus() == null ? null : pvc.getStatus().getPhase()) + " volumeName=" + vol
            + " annotations=" + pvc.getMetadata().getAnnotations()
            + (pv == null ? "" : " pv.claimRef=" + (pv.getSpec().getClaimRef() == null ? null : pv.getSpec().getClaimRef().getName() + "/"
                + pv.getSpec().getClaimRef().getUid()) + " pv.phase=" + pv.getStatus().getPhase()));
      }
    }
    return out.isEmpty() ? "all Bound" : String.join("\n    ", out);
  }

  private static boolean observed(Cluster c, String name) {
    OrdinalSet s = c.set(name);
    return s.getStatus() != null && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
  }

  /** Empty when converged, else what is missing. */
  static Optional<String> converged(Cluster c, String name, int replicas) {
    OrdinalSet s = c.set(name);
    OrdinalSetStatus st = s.getStatus();
    if (st == null || !Objects.equals(st.getObservedGeneration(), s.getMetadata().getGeneration())) {
      return Optional.of("status not observed (generation " + s.getMetadata().getGeneration() + ")");
    }
    List<String> want = IntStream.range(0, replicas).mapToObj(i -> name + "-" + i).sorted().toList();
    List<Pod> pods = c.client().pods().inNamespace(c.ns()).withLabel(Labels.SET_NAME, name).list().getItems();
    List<String> have = pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
    if (!have.equals(want)) {
      return Optional.of(have.size() + " pods, want " + replicas);
    }
    List<String> notReady = pods.stream().filter(p -> !ready(p)).map(p -> p.getMetadata().getName()).toList();
    if (!notReady.isEmpty()) {
      return Optional.of(notReady.size() + " pods not Ready " + notReady);
    }
    List<String> outdated = pods.stream().filter(p -> !Objects.equals(p.getMetadata().getLabels().get(Labels.REVISION_HASH),
        st.getUpdateRevision())).map(p -> p.getMetadata().getName()).toList();
    if (!outdated.isEmpty()) {
      return Optional.of(outdated.size() + " pods not on the update revision " + outdated);
    }
    List<String> unbound = IntStream.range(0, replicas).mapToObj(i -> "www-" + name + "-" + i)
        .filter(n -> !"Bound".equals(c.claimPhase(n))).toList();
    if (!unbound.isEmpty()) {
      return Optional.of(unbound.size() + " claims not Bound " + unbound);
    }
    if (!Objects.equals(st.getReadyReplicas(), replicas) || !Objects.equals(st.getUpdatedReplicas(), replicas)
        || !Objects.equals(st.getReplicas(), replicas)) {
      return Optional.of("status behind: replicas " + st.getReplicas() + " ready " + st.getReadyReplicas() + " updated " + st.getUpdatedReplicas());
    }
    return Optional.empty();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  private static void assertInvariants(Cluster c, RequestRecorder requests, int rounds) throws Exception {
    Map<String, Integer> created = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (RequestRecorder.Request r : requests.requests()) {
      if (r.method().equals("POST") && r.code() == 201 && r.access().map(x -> x.resource().equals("pods")).orElse(false)) {
        created.merge(json.readTree(r.body()).path("metadata").path("name").asText(), 1, Integer::sum);
      }
    }
    // A pod is created again only after a rolling update deleted it: twice at most, never two alive at once.
    for (int round = 1; round <= rounds; round++) {
      String name = "s" + round;
      List<String> pods = c.client().pods().inNamespace(c.ns()).withLabel(Labels.SET_NAME, name).list().getItems().stream()
          .map(p -> p.getMetadata().getName()).sorted().toList();
      assertThat(pods).as("pods of " + name).containsExactlyElementsOf(
          IntStream.range(0, SCALED_DOWN).mapToObj(i -> name + "-" + i).sorted().toList());
      List<PersistentVolumeClaim> claims = c.client().persistentVolumeClaims().inNamespace(c.ns()).withLabel(Labels.SET_NAME, name)
          .list().getItems();
      assertThat(claims).as("claims of " + name + " (none lost; retained after scale-down)").extracting(x -> x.getMetadata().getName())
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, REPLICAS).mapToObj(i -> "www-" + name + "-" + i).toList());
      for (PersistentVolumeClaim pvc : claims) {
        assertThat(pvc.getStatus().getPhase()).as(pvc.getMetadata().getName()).isEqualTo("Bound");
        PersistentVolume pv = c.client().persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
        assertThat(pv.getSpec().getClaimRef().getName()).as("claimRef of " + pv.getMetadata().getName()).isEqualTo(pvc.getMetadata().getName());
        assertThat(pv.getSpec().getClaimRef().getUid()).as("claimRef uid of " + pv.getMetadata().getName()).isEqualTo(pvc.getMetadata().getUid());
      }
    }
    assertThat(created.values()).as("successful pod creates per name (a rolling update recreates each pod once)").allMatch(n -> n <= 2);
    List<String> volumes = c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems().stream()
        .map(x -> x.getSpec().getVolumeName()).toList();
    assertThat(volumes).as("volumes of all claims").doesNotContainNull().doesNotHaveDuplicates();
  }

  private static Optional<Duration> awaitQuietly(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
    Instant start = Instant.now();
    while (Duration.between(start, Instant.now()).compareTo(atMost) < 0) {
      try {
        if (condition.call()) {
          return Optional.of(Duration.between(start, Instant.now()));
        }
      } catch (Exception e) {
        // the API server may still be warming up: look again
      }
      sleep(Duration.ofMillis(500));
    }
    return Optional.empty();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
