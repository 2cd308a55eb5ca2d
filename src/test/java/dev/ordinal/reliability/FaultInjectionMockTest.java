package dev.ordinal.reliability;

import static org.awaitility.Awaitility.await;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.PersistentVolumeClaimRetentionPolicy;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.api.v1alpha1.RollingUpdate;
import dev.ordinal.api.v1alpha1.UpdateStrategy;
import dev.ordinal.api.v1alpha1.UpdateStrategyType;
import dev.ordinal.naming.Labels;
import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.KubeletSimulator.Behaviour;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.FaultInjectingDispatcher;
import dev.ordinal.testing.FaultInjectingDispatcher.Fault;
import dev.ordinal.testing.OperatorClientTap;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized fault injection through the real operator on the mock API server (see
 * docs/reliability.md). Each seed builds a random OrdinalSet and runs a random sequence of user and
 * cluster events (scale, image change, partition change, pod deletion, pod failure, claim deletion,
 * PV add/remove, operator restart) while a seeded fraction of the operator's writes fail (409, 500
 * before or after the write is stored, slow responses). The invariants are checked continuously
 * (every pod creation and every pod deletion by the operator, judged against the API server at
 * that moment), on snapshots read from the API server during each step, and at quiescence, when
 * the faults stop and the set must converge to its spec.
 *
 * <p>Default: seeds 1..{@value #DEFAULT_SEEDS} and the {@link #REGRESSION_SEEDS} (CI).
 * {@code -Dordinal.fault.seeds=1000} runs seeds 1..1000 (without the regression seeds), from
 * {@code -Dordinal.fault.firstSeed=F} on if given (seeds F..F+999);
 * {@code -Dordinal.fault.seed=N} runs exactly seed N (a failing seed prints that command);
 * {@code -Dordinal.fault.steps=N} changes the steps per seed (default {@value #DEFAULT_STEPS}).
 */
class FaultInjectionMockTest {
  static final int DEFAULT_SEEDS = 3;
  /**
   * Seeds that once failed, replayed in every default run. 90 and 64 (issue 13): a claim owned by a
   * scaled-away pod was still there when its ordinal was wanted again; the set waited forever for a
   * collector that, with the set as a second owner, would never delete it.
   */
  static final List<Long> REGRESSION_SEEDS = List.of(64L, 90L);
  static final int DEFAULT_STEPS = 10;
  /** The fraction of the operator's writes that fail while a scenario runs. */
  static final double FAULT_RATE = 0.2;
  /**
   * How long after the test itself disrupts a pod (deletes it, fails it, deletes its claim) or
   * edits the spec the operator may still act on what it saw before: its informer lags, and a
   * write may land late (a slow response, or the fabric8 client's own retries of a 500 with backoff).
   */
  static final Duration GRACE = Duration.ofSeconds(5);
  static final String SET = "web";
  static final String TEMPLATE = "www";
  static final String BROKEN_IMAGE = "nginx:broken";
  static final List<String> IMAGES = List.of("nginx:1.25", "nginx:1.26", "nginx:1.27");
  private static final Pattern POD_PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)$");

  static FaultInjectingDispatcher faults;

  @RegisterExtension
  static final OperatorHarness harness = OperatorHarness.withoutOperator()
      .wrappingDispatcher(d -> faults = new FaultInjectingDispatcher(d));

  static final OperatorClientTap tap = new OperatorClientTap();
  static KubernetesClient operatorClient;
  static volatile OrdinalOperator operator;
  /** The cluster's ownerReference garbage collector (the CRUD mock has none): whenScaled/whenDeleted Delete work through it. */
  static dev.ordinal.sandbox.cluster.GarbageCollector gc;
  /** The scenario running now: the tap's write check looks at it. */
  static volatile Scenario current;

  static final AtomicLong seedsRun = new AtomicLong();
  static final AtomicLong stepsRun = new AtomicLong();
  static final AtomicLong restarts = new AtomicLong();
  static final AtomicLong snapshotsChecked = new AtomicLong();
  static final AtomicLong podCreationsChecked = new AtomicLong();
  static final AtomicLong podDeletionsChecked = new AtomicLong();
  static long classStarted;

  @BeforeAll
  static void startOperator() {
    classStarted = System.nanoTime();
    harness.kubelet().behaveForImage(BROKEN_IMAGE, Behaviour.STAY_UNREADY);
    gc = new dev.ordinal.sandbox.cluster.GarbageCollector(harness.client(), new dev.ordinal.sandbox.apiserver.DeletionPolicies());
    gc.start();
    operatorClient = harness.newClient(tap::install);
    tap.onWrite(r -> {
      Scenario s = current;
      if (s != null) {
        s.beforeOperatorWrite(r);
      }
    });
    operator = newOperator();
  }

  private static OrdinalOperator newOperator() {
    OrdinalOperator o = OrdinalOperator.create(operatorClient,
        OperatorConfig.local(Set.of()).withProgressDeadline(OperatorHarness.PROGRESS_DEADLINE), new SimpleMeterRegistry(), Instant::now);
    o.start();
    return o;
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (gc != null) {
      gc.close();
    }
    long ms = Duration.ofNanos(System.nanoTime() - classStarted).toMillis();
    System.out.printf("FaultInjectionMockTest summary: seeds=%d steps=%d restarts=%d operatorWrites=%d faults=%d"
            + " (conflict=%d, 500-before=%d, 500-after-write=%d, slow=%d) snapshots=%d podCreationsChecked=%d"
            + " podDeletionsChecked=%d wall=%.1fs%n",
        seedsRun.get(), stepsRun.get(), restarts.get(), faults.operatorWrites(), faults.injectedTotal(),
        faults.injected(Fault.CONFLICT), faults.injected(Fault.ERROR_BEFORE), faults.injected(Fault.ERROR_AFTER),
        faults.injected(Fault.SLOW), snapshotsChecked.get(), podCreationsChecked.get(), podDeletionsChecked.get(), ms / 1000.0);
  }

  static Stream<Long> seeds() {
    String one = System.getProperty("ordinal.fault.seed");
    if (one != null && !one.isBlank()) {
      return Stream.of(Long.parseLong(one.trim()));
    }
    long first = Long.getLong("ordinal.fault.firstSeed", 1);
    Integer n = Integer.getInteger("ordinal.fault.seeds");
    Stream<Long> range = LongStream.range(first, first + (n == null ? DEFAULT_SEEDS : n)).boxed();
    if (n != null) {
      return range;
    }
    List<Long> all = new ArrayList<>(range.toList());
    REGRESSION_SEEDS.stream().filter(r -> !all.contains(r)).forEach(all::add);
    return all.stream();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void invariantsHoldUnderFaultsAndTheSetConverges(long seed) {
    Scenario s = new Scenario(seed, new Cluster(harness));
    current = s;
    try {
      s.run();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed: " + e.getMessage()
          + "\n  reproduce: ./mvnw -B test -Dtest=FaultInjectionMockTest -Dordinal.fault.seed=" + seed
          + "\n  scenario: " + s.describe(), e);
    } finally {
      faults.stop();
      current = null;
      s.cleanUp();
      seedsRun.incrementAndGet();
    }
  }

  /** One seed's run: the random spec and steps, what the test knows about them, and what it saw. */
  static final class Scenario implements Watcher<Pod> {
    final long seed;
    final Random rnd;
    final Cluster c;
    final String ns;
    final List<String> log = new ArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    /** Pods as the test's watch last saw them, by name. */
    final Map<String, Pod> pods = new ConcurrentHashMap<>();
    final Set<String> podUidsSeen = ConcurrentHashMap.newKeySet();
    /** Ordinal -> until when (nanoTime) the test's own disruption of it excuses it being unavailable. */
    final Map<Integer, Long> disruptedUntil = new ConcurrentHashMap<>();
    final Set<String> failing = new HashSet<>();
    final Set<String> pvsCreated = new HashSet<>();
    final Set<String> pvsRemoved = new HashSet<>();
    volatile long specChangedAt = System.nanoTime();
    volatile int replicas;
    volatile int partition;
    volatile IntOrString maxUnavailable;
    volatile boolean parallel;
    volatile boolean onDelete;
    volatile String image;
    int pvCounter;
    Watch watch;

    Scenario(long seed, Cluster c) {
      this.seed = seed;
      this.rnd = new Random(seed);
      this.c = c;
      this.ns = c.ns();
    }

    String describe() {
      return String.join(" ; ", log);
    }

    void note(String what) {
      log.add(what);
    }

    void run() {
      replicas = 1 + rnd.nextInt(4);
      parallel = rnd.nextInt(10) < 3;
      onDelete = rnd.nextInt(10) < 2;
      partition = !onDelete && rnd.nextInt(10) < 3 ? rnd.nextInt(3) : 0;
      maxUnavailable = switch (rnd.nextInt(4)) {
        case 0 -> new IntOrString(2);
        case 1 -> new IntOrString("50%");
        default -> new IntOrString(1);
      };
      image = IMAGES.get(0);
      RetentionPolicyType whenScaled = rnd.nextBoolean() ? RetentionPolicyType.Delete : RetentionPolicyType.Retain;
      RetentionPolicyType whenDeleted = rnd.nextBoolean() ? RetentionPolicyType.Delete : RetentionPolicyType.Retain;
      int pvs = replicas + rnd.nextInt(3);
      for (int i = 0; i < pvs; i++) {
        addPv(rnd.nextInt(5) == 0 ? "2Gi" : "1Gi");
      }
      OrdinalSet set = c.web(replicas);
      set.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
      set.getSpec().setPodManagementPolicy(parallel ? PodManagementPolicy.Parallel : PodManagementPolicy.OrderedReady);
      set.getSpec().setUpdateStrategy(onDelete ? new UpdateStrategy(UpdateStrategyType.OnDelete, null)
          : new UpdateStrategy(UpdateStrategyType.RollingUpdate, new RollingUpdate(partition, maxUnavailable)));
      set.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(whenDeleted, whenScaled));
      note(String.format("create replicas=%d %s %s partition=%d maxUnavailable=%s whenScaled=%s whenDeleted=%s pvs=%d",
          replicas, parallel ? "Parallel" : "OrderedReady", onDelete ? "OnDelete" : "RollingUpdate", partition,
          maxUnavailable.getIntVal() != null ? maxUnavailable.getIntVal() : maxUnavailable.getStrVal(), whenScaled, whenDeleted, pvs));
      watch = c.client().pods().inNamespace(ns).watch(this);
      faults.inject(seed, FAULT_RATE);
      specChangedAt = System.nanoTime();
      c.create(set);
      pause();

      int steps = Integer.getInteger("ordinal.fault.steps", DEFAULT_STEPS);
      for (int step = 0; step < steps; step++) {
        healSomeFailingPods();
        step();
        stepsRun.incrementAndGet();
        pause();
      }
      quiesceAndConverge();
    }

    private void step() {
      int roll = rnd.nextInt(100);
      if (roll < 15) {
        int r = rnd.nextInt(6);
        note("scale " + r);
        changeSpec(() -> c.scale(SET, r), () -> replicas = r);
      } else if (roll < 30) {
        String img = rnd.nextInt(8) == 0 ? BROKEN_IMAGE : IMAGES.get(rnd.nextInt(IMAGES.size()));
        note("image " + img);
        changeSpec(() -> setImage(img), () -> image = img);
      } else if (roll < 37 && !onDelete) {
        int p = rnd.nextInt(replicas + 2);
        note("partition " + p);
        changeSpec(() -> c.mergePatch(SET, "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":" + p + "}}}}"),
            () -> partition = p);
      } else if (roll < 50) {
        Optional<String> pod = randomPod();
        pod.ifPresent(p -> {
          note("delete pod " + p);
          disrupt(p);
          c.client().pods().inNamespace(ns).withName(p).delete();
        });
      } else if (roll < 60) {
        Optional<String> pod = randomPod();
        pod.ifPresent(p -> {
          note("fail pod " + p);
          disrupt(p);
          failing.add(p);
          harness.kubelet().behave(ns, p, Behaviour.FAIL);
        });
      } else if (roll < 67) {
        List<String> claims = c.client().persistentVolumeClaims().inNamespace(ns).list().getItems().stream()
            .map(x -> x.getMetadata().getName()).sorted().toList();
        if (!claims.isEmpty()) {
          String claim = claims.get(rnd.nextInt(claims.size()));
          note("delete claim " + claim);
          disrupt(claim.substring(TEMPLATE.length() + 1));
          c.client().persistentVolumeClaims().inNamespace(ns).withName(claim).delete();
        }
      } else if (roll < 78) {
        String name = addPv(rnd.nextInt(4) == 0 ? "2Gi" : "1Gi");
        note("add pv " + name);
      } else if (roll < 86) {
        removeUnboundPv();
      } else if (roll < 94) {
        note("restart operator");
        operator.close();
        restarts.incrementAndGet();
        operator = newOperator();
      } else {
        note("wait");
      }
    }

    /** A spec edit: for GRACE after it, the operator may still act on the previous spec. */
    private void changeSpec(Runnable edit, Runnable remember) {
      specChangedAt = System.nanoTime();
      remember.run();
      edit.run();
      specChangedAt = System.nanoTime();
    }

    private void setImage(String img) {
      c.client().resources(OrdinalSet.class).inNamespace(ns).withName(SET).patch(PatchContext.of(PatchType.JSON),
          "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + img + "\"}]");
    }

    private Optional<String> randomPod() {
      List<String> names = c.podNames();
      return names.isEmpty() ? Optional.empty() : Optional.of(names.get(rnd.nextInt(names.size())));
    }

    /** The test itself makes this pod (or "web-3" for a claim's ordinal) unavailable now. */
    private void disrupt(String podName) {
      ordinalOf(podName).ifPresent(o -> disruptedUntil.put(o, System.nanoTime() + GRACE.toNanos()));
    }

    private void healSomeFailingPods() {
      for (String p : List.copyOf(failing)) {
        if (rnd.nextBoolean()) {
          note("heal pod " + p);
          harness.kubelet().heal(ns, p);
          failing.remove(p);
        }
      }
    }

    private String addPv(String size) {
      String name = "pv-" + pvCounter++;
      c.createPv(name, size);
      pvsCreated.add(c.pvName(name));
      return c.pvName(name);
    }

    /**
     * Removes a PV no claim holds. First it is moved out of the set's class with an update that
     * carries its resourceVersion, so an operator that reserved it meanwhile wins (409 here) and an
     * operator about to reserve it from a stale cache loses; only then is it deleted.
     */
    private void removeUnboundPv() {
      List<PersistentVolume> free = c.client().persistentVolumes().list().getItems().stream()
          .filter(pv -> c.storageClass().equals(pv.getSpec().getStorageClassName()) && pv.getSpec().getClaimRef() == null)
          .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName())).toList();
      if (free.isEmpty()) {
        note("remove pv: none unbound");
        return;
      }
      PersistentVolume pv = free.get(rnd.nextInt(free.size()));
      pv.getSpec().setStorageClassName("retired");
      try {
        c.client().persistentVolumes().resource(pv).update();
      } catch (KubernetesClientException e) {
        note("remove pv " + pv.getMetadata().getName() + ": lost the race (" + e.getCode() + ")");
        return;
      }
      c.client().persistentVolumes().withName(pv.getMetadata().getName()).delete();
      pvsRemoved.add(pv.getMetadata().getName());
      note("remove pv " + pv.getMetadata().getName());
    }

    /** Lets the operator work for a random while, checking snapshots of the API server as it goes. */
    private void pause() {
      long until = System.nanoTime() + Duration.ofMillis(300 + rnd.nextInt(1200)).toNanos();
      do {
        checkSnapshot(false);
        assertNoViolations();
        sleep(250);
      } while (System.nanoTime() < until);
    }

    private void assertNoViolations() {
      if (!violations.isEmpty()) {
        throw new AssertionError("invariant violated: " + violations);
      }
    }

    private void quiesceAndConverge() {
      faults.stop();
      note("quiesce");
      for (String p : List.copyOf(failing)) {
        harness.kubelet().heal(ns, p);
      }
      failing.clear();
      if (BROKEN_IMAGE.equals(image)) {
        String img = IMAGES.get(rnd.nextInt(IMAGES.size()));
        note("image " + img);
        changeSpec(() -> setImage(img), () -> image = img);
      }
      if (onDelete) {
        // OnDelete replaces nothing by itself (design.md 3.5): the user deletes what runs the broken image,
        // once the operator has seen the new template: a pod deleted earlier may be recreated from the
        // set's previous generation still in the operator's cache (seed 2 on a loaded machine), and an
        // OnDelete set keeps it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
          OrdinalSet s = c.set(SET);
          return s.getStatus() != null && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
        });
        for (Pod p : c.client().pods().inNamespace(ns).list().getItems()) {
          if (BROKEN_IMAGE.equals(p.getSpec().getContainers().get(0).getImage())) {
            note("delete pod " + p.getMetadata().getName() + " (OnDelete, broken image)");
            c.client().pods().inNamespace(ns).withName(p.getMetadata().getName()).delete();
          }
        }
      }
      // Enough free PVs for every desired claim that is not Bound.
      long unbound = 0;
      for (int i = 0; i < replicas; i++) {
        PersistentVolumeClaim claim = c.claim(TEMPLATE + "-" + SET + "-" + i);
        if (claim == null || claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
          unbound++;
        }
      }
      long free = c.client().persistentVolumes().list().getItems().stream()
          .filter(pv -> c.storageClass().equals(pv.getSpec().getStorageClassName()) && pv.getSpec().getClaimRef() == null).count();
      for (long i = free; i < unbound; i++) {
        note("add pv " + addPv("1Gi"));
      }
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
          assertNoViolations();
          List<String> problems = new ArrayList<>(checkSnapshot(true));
          problems.addAll(convergenceProblems());
          if (!problems.isEmpty()) {
            throw new AssertionError("not converged: " + problems);
          }
        });
      } catch (RuntimeException e) {
        // every convergence failure prints the pods and the set's conditions, whatever ended the wait
        throw new AssertionError(e.getMessage() + "\n  pods: " + podSummary(), e);
      }
      // The operator never deletes a claim (retention works through ownerReferences) nor a PV.
      List<String> forbidden = tap.writes().stream()
          .filter(w -> "DELETE".equals(w.method()))
          .filter(w -> w.access().resource().startsWith("persistentvolume"))
          .map(w -> w.method() + " " + w.uri().getPath() + " -> " + w.code()).toList();
      if (!forbidden.isEmpty()) {
        throw new AssertionError("the operator deleted storage: " + forbidden);
      }
      Set<String> lost = new HashSet<>(pvsCreated);
      lost.removeAll(pvsRemoved);
      c.client().persistentVolumes().list().getItems().forEach(pv -> lost.remove(pv.getMetadata().getName()));
      if (!lost.isEmpty()) {
        throw new AssertionError("PVs disappeared that the test did not remove: " + lost);
      }
    }

    private String podSummary() {
      StringBuilder b = new StringBuilder();
      for (Pod p : c.client().pods().inNamespace(ns).list().getItems()) {
        b.append(p.getMetadata().getName()).append('[').append(p.getStatus() == null ? "?" : p.getStatus().getPhase())
            .append(ready(p) ? ",Ready" : ",unready").append(',').append(p.getMetadata().getLabels().get(Labels.REVISION_HASH))
            .append(',').append(p.getSpec().getContainers().get(0).getImage()).append("] ");
      }
      for (PersistentVolumeClaim claim : c.client().persistentVolumeClaims().inNamespace(ns).list().getItems()) {
        b.append(claim.getMetadata().getName()).append('[').append(claim.getStatus() == null ? "?" : claim.getStatus().getPhase())
            .append(claim.getMetadata().getDeletionTimestamp() == null ? "" : ",deleting").append(",owners=")
            .append(claim.getMetadata().getOwnerReferences() == null ? List.of() : claim.getMetadata().getOwnerReferences().stream()
                .map(r -> r.getKind() + "/" + r.getName() + "/" + r.getUid()).toList())
            .append("] ");
      }
      OrdinalSet set = c.set(SET);
      if (set != null && set.getStatus() != null) {
        b.append("status: update=").append(set.getStatus().getUpdateRevision()).append(" current=").append(set.getStatus().getCurrentRevision())
            .append(" conditions=").append(set.getStatus().getConditions());
      }
      return b.toString();
    }

    /** Converged: the desired pods exactly, Ready, on the update revision where the partition allows, claims Bound. */
    private List<String> convergenceProblems() {
      List<String> problems = new ArrayList<>();
      OrdinalSet set = c.set(SET);
      if (set.getStatus() == null || !Objects.equals(set.getStatus().getObservedGeneration(), set.getMetadata().getGeneration())) {
        problems.add("observedGeneration " + (set.getStatus() == null ? null : set.getStatus().getObservedGeneration())
            + " != generation " + set.getMetadata().getGeneration());
        return problems;
      }
      String updateRevision = set.getStatus().getUpdateRevision();
      Map<String, Pod> byName = new TreeMap<>();
      c.client().pods().inNamespace(ns).withLabel(Labels.SET_NAME, SET).list().getItems().forEach(p -> byName.put(p.getMetadata().getName(), p));
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < replicas; i++) {
        String name = SET + "-" + i;
        expected.add(name);
        Pod p = byName.get(name);
        if (p == null) {
          problems.add(name + " missing");
          continue;
        }
        if (!ready(p) || p.getMetadata().getDeletionTimestamp() != null) {
          problems.add(name + " not Ready");
        }
        if (!onDelete && i >= partition && !Objects.equals(updateRevision, p.getMetadata().getLabels().get(Labels.REVISION_HASH))) {
          problems.add(name + " on revision " + p.getMetadata().getLabels().get(Labels.REVISION_HASH) + ", not the update revision " + updateRevision);
        }
        if (!onDelete && i >= partition && !image.equals(p.getSpec().getContainers().get(0).getImage())) {
          problems.add(name + " runs " + p.getSpec().getContainers().get(0).getImage() + ", not " + image);
        }
        String claim = TEMPLATE + "-" + SET + "-" + i;
        PersistentVolumeClaim pvc = c.claim(claim);
        if (pvc == null || pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
          problems.add(claim + " not Bound");
        }
      }
      byName.keySet().stream().filter(n -> !expected.contains(n)).forEach(n -> problems.add(n + " should not exist"));
      return problems;
    }

    /**
     * Invariants of one snapshot read from the API server. Some hold at every instant; the ones
     * that may be briefly broken between two writes of one operator step (a PV reserved before its
     * claim names it) are only required at quiescence ({@code strict}).
     */
    List<String> checkSnapshot(boolean strict) {
      snapshotsChecked.incrementAndGet();
      List<String> problems = new ArrayList<>();
      List<Pod> podList = c.client().pods().inNamespace(ns).list().getItems();
      Map<String, PersistentVolumeClaim> claims = new HashMap<>();
      c.client().persistentVolumeClaims().inNamespace(ns).list().getItems().forEach(x -> claims.put(x.getMetadata().getName(), x));
      Map<String, PersistentVolume> volumes = new HashMap<>();
      c.client().persistentVolumes().list().getItems().forEach(x -> volumes.put(x.getMetadata().getName(), x));

      // At most one pod per ordinal, named <set>-<ordinal>, mounting exactly its own claims.
      Map<Integer, String> byOrdinal = new HashMap<>();
      for (Pod p : podList) {
        String name = p.getMetadata().getName();
        Optional<Integer> ordinal = ordinalOf(name);
        if (ordinal.isEmpty()) {
          problems.add("pod " + name + " is not named " + SET + "-<ordinal>");
          continue;
        }
        String other = byOrdinal.put(ordinal.get(), name);
        if (other != null) {
          problems.add("two pods for ordinal " + ordinal.get() + ": " + other + ", " + name);
        }
        String index = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(Labels.POD_INDEX);
        if (!String.valueOf(ordinal.get()).equals(index)) {
          problems.add("pod " + name + " has pod-index label " + index);
        }
        Map<String, String> mounted = new HashMap<>();
        for (Volume v : p.getSpec().getVolumes() == null ? List.<Volume>of() : p.getSpec().getVolumes()) {
          if (v.getPersistentVolumeClaim() != null) {
            mounted.put(v.getName(), v.getPersistentVolumeClaim().getClaimName());
          }
        }
        Map<String, String> own = Map.of(TEMPLATE, TEMPLATE + "-" + name);
        if (!mounted.equals(own)) {
          problems.add("pod " + name + " mounts " + mounted + ", not exactly its own claims " + own);
        }
      }

      // No PV held by two claims; every Bound claim's PV points back and fits it.
      Map<String, String> claimByVolume = new HashMap<>();
      for (PersistentVolumeClaim claim : claims.values()) {
        String name = claim.getMetadata().getName();
        String volume = claim.getSpec().getVolumeName();
        if (volume != null) {
          String other = claimByVolume.put(volume, name);
          if (other != null) {
            problems.add("claims " + other + " and " + name + " both name PV " + volume);
          }
        }
        if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
          PersistentVolume pv = volume == null ? null : volumes.get(volume);
          if (pv == null) {
            problems.add("Bound claim " + name + " names missing PV " + volume);
            continue;
          }
          if (pv.getSpec().getClaimRef() == null || !Objects.equals(pv.getSpec().getClaimRef().getUid(), claim.getMetadata().getUid())) {
            problems.add("PV " + volume + " of Bound claim " + name + " does not point back to it: " + pv.getSpec().getClaimRef());
          }
          problems.addAll(fitProblems(claim, pv));
        }
      }
      Map<String, String> volumeByClaimUid = new HashMap<>();
      Set<String> claimUids = new HashSet<>();
      claims.values().forEach(x -> claimUids.add(x.getMetadata().getUid()));
      for (PersistentVolume pv : volumes.values()) {
        var ref = pv.getSpec().getClaimRef();
        if (ref == null || ref.getUid() == null || !ns.equals(ref.getNamespace())) {
          continue;
        }
        String other = volumeByClaimUid.put(ref.getUid(), pv.getMetadata().getName());
        // Transiently legal only if an interrupted bind left a reservation the next reconcile reuses.
        if (other != null && strict && claimUids.contains(ref.getUid())) {
          problems.add("PVs " + other + " and " + pv.getMetadata().getName() + " are both reserved for claim " + ref.getName() + " (uid " + ref.getUid() + ")");
        }
      }
      if (strict) {
        for (PersistentVolume pv : volumes.values()) {
          var ref = pv.getSpec().getClaimRef();
          if (ref != null && ns.equals(ref.getNamespace()) && ref.getUid() != null && claimUids.contains(ref.getUid())) {
            PersistentVolumeClaim claim = claims.get(ref.getName());
            if (claim != null && !pv.getMetadata().getName().equals(claim.getSpec().getVolumeName())) {
              problems.add("PV " + pv.getMetadata().getName() + " is reserved for " + ref.getName() + " which names " + claim.getSpec().getVolumeName());
            }
          }
        }
      }
      if (!problems.isEmpty() && !strict) {
        violations.addAll(problems.stream().map(p -> "snapshot: " + p).toList());
      }
      return problems;
    }

    private List<String> fitProblems(PersistentVolumeClaim claim, PersistentVolume pv) {
      List<String> problems = new ArrayList<>();
      String name = claim.getMetadata().getName() + " -> " + pv.getMetadata().getName();
      if (!Objects.equals(claim.getSpec().getStorageClassName(), pv.getSpec().getStorageClassName())) {
        problems.add(name + ": class " + pv.getSpec().getStorageClassName() + " != " + claim.getSpec().getStorageClassName());
      }
      Quantity request = claim.getSpec().getResources().getRequests().get("storage");
      Quantity capacity = pv.getSpec().getCapacity().get("storage");
      if (Quantity.getAmountInBytes(capacity).compareTo(Quantity.getAmountInBytes(request)) < 0) {
        problems.add(name + ": capacity " + capacity + " < request " + request);
      }
      if (!pv.getSpec().getAccessModes().containsAll(claim.getSpec().getAccessModes())) {
        problems.add(name + ": access modes " + pv.getSpec().getAccessModes() + " lack some of " + claim.getSpec().getAccessModes());
      }
      return problems;
    }

    // ---- continuous checks ----

    /**
     * OrderedReady: when pod i appears, every pod j < i is Running and Ready. This is what is
     * guaranteed at the moment the operator decides; the test checks it at the moment the pod
     * appears in its watch, so a lower pod the test itself disrupted within GRACE is excused.
     */
    @Override
    public void eventReceived(Action action, Pod pod) {
      String name = pod.getMetadata().getName();
      if (action == Action.DELETED) {
        pods.remove(name);
        return;
      }
      if (action == Action.ADDED && podUidsSeen.add(pod.getMetadata().getUid()) && !parallel) {
        podCreationsChecked.incrementAndGet();
        ordinalOf(name).ifPresent(i -> {
          for (int j = 0; j < i; j++) {
            Pod lower = pods.get(SET + "-" + j);
            boolean healthy = lower != null && lower.getMetadata().getDeletionTimestamp() != null == false && ready(lower);
            if (!healthy && !excused(j)) {
              violations.add("OrderedReady: " + name + " created while " + SET + "-" + j + " is "
                  + (lower == null ? "missing" : "not Ready (" + (lower.getStatus() == null ? "?" : lower.getStatus().getPhase()) + ")"));
            }
          }
        });
      }
      pods.put(name, pod);
    }

    @Override
    public void onClose(WatcherException cause) {}

    private boolean excused(int ordinal) {
      Long until = disruptedUntil.get(ordinal);
      return until != null && System.nanoTime() < until;
    }

    /**
     * maxUnavailable: an operator DELETE of a desired, not failed, Ready pod during a rolling update
     * must not make more than maxUnavailable desired pods unavailable. Judged against the API server
     * just before the request goes out; pods the test disrupted within GRACE are not counted.
     */
    void beforeOperatorWrite(HttpRequest request) {
      if (!"DELETE".equals(request.method())) {
        return;
      }
      Matcher m = POD_PATH.matcher(request.uri().getRawPath());
      if (!m.matches() || !ns.equals(m.group(1))) {
        return;
      }
      if (onDelete || System.nanoTime() - specChangedAt < GRACE.toNanos()) {
        return;
      }
      String name = m.group(2);
      Optional<Integer> ordinal = ordinalOf(name);
      int r = replicas;
      if (ordinal.isEmpty() || ordinal.get() >= r) {
        return;
      }
      podDeletionsChecked.incrementAndGet();
      Map<String, Pod> now = new HashMap<>();
      harness.client().pods().inNamespace(ns).list().getItems().forEach(p -> now.put(p.getMetadata().getName(), p));
      Pod target = now.get(name);
      if (target == null || target.getMetadata().getDeletionTimestamp() != null || !ready(target)) {
        return;  // deleting what is already gone, terminating, failed or unready makes nothing less available
      }
      int unavailable = 0;
      List<String> which = new ArrayList<>();
      for (int k = 0; k < r; k++) {
        if (k == ordinal.get() || excused(k)) {
          continue;
        }
        Pod p = now.get(SET + "-" + k);
        if (p == null || p.getMetadata().getDeletionTimestamp() != null || !ready(p)) {
          unavailable++;
          which.add(SET + "-" + k);
        }
      }
      int max = maxUnavailable(r);
      if (unavailable + 1 > max) {
        violations.add("maxUnavailable " + max + ": the operator deleted Ready " + name + " while " + which + " were unavailable");
      }
    }

    private int maxUnavailable(int r) {
      IntOrString v = maxUnavailable;
      if (v.getIntVal() != null) {
        return Math.max(1, v.getIntVal());
      }
      int percent = Integer.parseInt(v.getStrVal().replace("%", ""));
      return Math.max(1, r * percent / 100);
    }

    void cleanUp() {
      if (watch != null) {
        watch.close();
      }
      for (String p : failing) {
        harness.kubelet().heal(ns, p);
      }
      try {
        c.client().resources(OrdinalSet.class).inNamespace(ns).withName(SET).delete();
        c.client().pods().inNamespace(ns).delete();
        c.client().persistentVolumeClaims().inNamespace(ns).delete();
        for (String pv : pvsCreated) {
          c.client().persistentVolumes().withName(pv).delete();
        }
      } catch (KubernetesClientException e) {
        // best effort: the next seed uses its own namespace and storage class
      }
    }
  }

  static Optional<Integer> ordinalOf(String podName) {
    if (!podName.startsWith(SET + "-")) {
      return Optional.empty();
    }
    String rest = podName.substring(SET.length() + 1);
    return rest.matches("0|[1-9][0-9]{0,8}") ? Optional.of(Integer.parseInt(rest)) : Optional.empty();
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
