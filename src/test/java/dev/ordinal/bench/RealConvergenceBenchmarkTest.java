package dev.ordinal.bench;

import static dev.ordinal.bench.ConvergenceBenchmarkTest.gc;
import static dev.ordinal.bench.ConvergenceBenchmarkTest.heapUsed;
import static dev.ordinal.bench.ConvergenceBenchmarkTest.isReady;
import static dev.ordinal.bench.ConvergenceBenchmarkTest.mib;
import static dev.ordinal.bench.ConvergenceBenchmarkTest.rssBytes;
import static dev.ordinal.bench.ConvergenceBenchmarkTest.secs;
import static dev.ordinal.bench.ConvergenceBenchmarkTest.tracker;
import static dev.ordinal.bench.ConvergenceBenchmarkTest.writes;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.KubeletSimulator;
import dev.ordinal.sandbox.controlplane.ControlPlane;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.real.SharedControlPlane;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The convergence benchmark on a real control plane, beside the cluster's own PV binder: one set
 * of N replicas with N static PVs (Parallel by default), the operator as the chart's
 * ServiceAccount. Prints a table: milestones, writes per replica (the operator's, the kubelet
 * simulator's, and everyone else's, i.e. the cluster's controllers, from kube-apiserver's own
 * request counts), 409s by verb and resource, batches aborted, requests per second, steady-state
 * writes, memory. Skipped unless {@code -Dordinal.bench=true}.
 *
 * <pre>
 * ./mvnw -B test -Dtest=RealConvergenceBenchmarkTest -Dordinal.bench=true -Dordinal.bench.replicas=1000
 * </pre>
 *
 * Properties as {@link ConvergenceBenchmarkTest}'s, plus {@code ordinal.bench.policy}
 * (Parallel or OrderedReady, default Parallel) and {@code ordinal.bench.statefulSetStorage}
 * (false runs the operator without the StatefulSet storage mode), {@code ordinal.bench.builtin}
 * (true also runs each size as an apps/v1 StatefulSet through kube-controller-manager's own
 * StatefulSet controller, on the same machine with the same kubelet simulator) and
 * {@code ordinal.bench.kcmQps} (kube-controller-manager's client rate for the whole run),
 * {@code ordinal.bench.schedulingBackoffMs} (the simulated scheduler retries a pod it could not
 * place with kube-scheduler's back-off, 1000 as upstream's default; 0, the default, places it the
 * moment its claims are Bound), {@code ordinal.bench.operatorProcess} (true runs the operator as
 * the CLI's {@code run} in a JVM of its own and reports that process's RSS and heap;
 * {@code ordinal.bench.operatorJvmOptions} overrides the image's JVM flags, e.g. {@code -Xmx256m}). For
 * OrderedReady it also prints where one ordinal's time goes. See docs/benchmarks.md.
 */
class RealConvergenceBenchmarkTest {
  private static final int KUBELET_WORKERS = Integer.getInteger("ordinal.bench.kubeletWorkers", 8);
  /** -Dordinal.bench.operatorProcess=true: the operator in a JVM of its own ({@link OperatorProcess}), for its own RSS and heap. */
  private static final boolean OWN_PROCESS = Boolean.getBoolean("ordinal.bench.operatorProcess");
  /** -Dordinal.bench.schedulingBackoffMs=1000: place pods with kube-scheduler's retry back-off (see KubeletSimulator#setSchedulingBackoff). */
  private static final Duration SCHEDULING_BACKOFF = Duration.ofMillis(Integer.getInteger("ordinal.bench.schedulingBackoffMs", 0));

  @Test
  void convergenceBesideTheClustersBinder() throws Exception {
    assumeTrue(Boolean.getBoolean("ordinal.bench"), "benchmark: run with -Dordinal.bench=true");
    ControlPlane plane;
    try {
      plane = SharedControlPlane.get();
    } catch (ControlPlane.Unavailable e) {
      assumeTrue(false, "no real control plane: " + e.getMessage());
      return;
    }
    int[] sizes = Arrays.stream(System.getProperty("ordinal.bench.replicas", "1000").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    PodManagementPolicy policy = PodManagementPolicy.valueOf(System.getProperty("ordinal.bench.policy", "Parallel"));
    Duration steady = Duration.ofSeconds(Integer.getInteger("ordinal.bench.steady", 30));
    Duration timeout = Duration.ofSeconds(Integer.getInteger("ordinal.bench.timeout", 1800));
    StringBuilder report = new StringBuilder("real control plane v" + plane.version() + " (kube-apiserver, etcd, kube-controller-manager with the PV binder); "
        + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
        + String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
        + "; kubelet simulator workers " + KUBELET_WORKERS + ", scheduling back-off "
        + (SCHEDULING_BACKOFF.isZero() ? "none (a pod is placed the moment its claims are Bound)" : SCHEDULING_BACKOFF.toMillis() + " ms, doubling") + "\n\n");
    // -Dordinal.bench.kcmQps=1000: kube-controller-manager's client rate, as issue 10's anchor for
    // the built-in StatefulSet controller (its default is 20 requests per second, burst 30)
    String kcmQps = System.getProperty("ordinal.bench.kcmQps");
    if (kcmQps != null) {
      plane.restartControllerManager(List.of("--kube-api-qps=" + kcmQps, "--kube-api-burst=" + kcmQps));
      report.append("kube-controller-manager at --kube-api-qps=").append(kcmQps).append(" --kube-api-burst=").append(kcmQps).append("\n\n");
    }
    boolean builtin = Boolean.getBoolean("ordinal.bench.builtin");
    int run = 0;
    try {
      for (int n : sizes) {
        String table = new Run(plane, n, policy, steady, timeout, "b" + (++run) + "-" + System.currentTimeMillis() % 100000, false).execute();
        System.out.println(table);
        report.append(table).append('\n');
        if (builtin) {
          String theirs = new Run(plane, n, policy, steady, timeout, "s" + run + "-" + System.currentTimeMillis() % 100000, true).execute();
          System.out.println(theirs);
          report.append(theirs).append('\n');
        }
        if (!"false".equals(System.getProperty("ordinal.bench.binderAlone"))) {
          String alone = binderAlone(plane, n, "a" + run + "-" + System.currentTimeMillis() % 100000, timeout);
          System.out.println(alone);
          report.append(alone).append('\n');
        }
      }
    } finally {
      if (kcmQps != null) {
        plane.restartControllerManager(List.of());
      }
    }
    Path out = Path.of("target", "bench", "real-convergence-" + Instant.now().toString().replace(':', '-') + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    System.out.println(report);
    System.out.println("written to " + out);
  }

  /**
   * What leaving the bind to the cluster would cost: N volumes reserved for N claims that name
   * them (what the operator writes before the binder could take over), created as fast as the
   * API server takes them, and the time until the cluster's PV binder alone has bound them all.
   */
  private static String binderAlone(ControlPlane plane, int n, String ns, Duration timeout) throws Exception {
    Set<String> bound = ConcurrentHashMap.newKeySet();
    try (KubernetesClient admin = plane.adminClient()) {
      SharedControlPlane.ensureNamespace(admin, ns);
      String cls = "bench-" + ns;
      SharedIndexInformer<?> watch = admin.persistentVolumeClaims().inNamespace(ns).inform(tracker(bound,
          c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase())));
      ApiServerRequestCounts before = ApiServerRequestCounts.scrape(admin);
      long t0 = System.nanoTime();
      ConvergenceBenchmarkTest.inParallel(n, 32, i -> {
        String pvName = String.format("%s-pv-%05d", ns, i);
        String claimName = String.format("data-%05d", i);
        PersistentVolume pv = Fixtures.pv(pvName, "1Gi", cls, "ReadWriteOnce");
        pv.getSpec().setClaimRef(new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder().withKind("PersistentVolumeClaim")
            .withApiVersion("v1").withNamespace(ns).withName(claimName).build());
        admin.persistentVolumes().resource(pv).create();
        admin.persistentVolumeClaims().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
            .withNewMetadata().withName(claimName).endMetadata()
            .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(cls).withVolumeName(pvName)
            .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources().endSpec().build()).create();
      });
      long created = System.nanoTime() - t0;
      long deadline = t0 + timeout.toNanos();
      while (bound.size() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long all = System.nanoTime() - t0;
      Thread.sleep(1000);
      ApiServerRequestCounts server = ApiServerRequestCounts.scrape(admin).minus(before);
      watch.close();
      SharedControlPlane.retireNamespace(admin, ns);
      long clusterWrites = server.writes() - 2L * n;
      return "### the cluster's PV binder alone, " + n + " reserved pairs\n\n| measure | value |\n|---|---|\n"
          + "| all " + n + " volumes and claims created (test, 32 at a time) | " + secs(created) + " |\n"
          + "| all claims Bound by the binder | " + (bound.size() < n ? "no (" + bound.size() + "/" + n + ")" : secs(all)) + " |\n"
          + "| binder writes per pair | " + String.format("%.2f", clusterWrites / (double) n) + " |\n"
          + "| 409 answers | " + (server.conflicts().isEmpty() ? "none" : server.conflicts().toString()) + " |\n";
    }
  }

  /** One set of n replicas: an OrdinalSet with our operator, or ({@code builtin}) an apps/v1 StatefulSet with the cluster's own controller. */
  private record Run(ControlPlane plane, int n, PodManagementPolicy policy, Duration steady, Duration timeout, String ns, boolean builtin) {
    String execute() throws Exception {
      Map<String, String> rows = new LinkedHashMap<>();
      try (KubernetesClient admin = plane.adminClient()) {
        SharedControlPlane.ensureNamespace(admin, ns);
        String cls = "bench-" + ns;
        admin.storage().v1().storageClasses().resource(Fixtures.storageClass(cls, "kubernetes.io/no-provisioner", "Immediate", false)).create();
        List<SharedIndexInformer<?>> watchers = new ArrayList<>();
        Set<String> availablePvs = ConcurrentHashMap.newKeySet();
        watchers.add(admin.persistentVolumes().withLabel("bench", ns).inform(tracker(availablePvs,
            pv -> pv.getStatus() != null && "Available".equals(pv.getStatus().getPhase()))));
        long t = System.nanoTime();
        createVolumes(admin, cls);
        rows.put("setup: " + n + " PVs created", secs(System.nanoTime() - t));
        // Neither binder takes a volume before the cluster's PV controller has made it Available.
        while (availablePvs.size() < n) {
          Thread.sleep(20);
        }
        rows.put("setup: ... and made Available by the cluster's PV controller", secs(System.nanoTime() - t));
        // One claim and one pod informer for every milestone: each informer of the test's own
        // deserializes every event, CPU taken from the API server and the operator on 2 cores.
        OrdinalTimeline timeline = new OrdinalTimeline(admin, ns);

        OperatorRequestMeter kubeletMeter = new OperatorRequestMeter();
        KubernetesClient kubeletClient = new KubernetesClientBuilder().withConfig(plane.adminConfig())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-kubelet", kubeletMeter)).build();
        KubeletSimulator kubelet = new KubeletSimulator(kubeletClient, KubeletSimulator.NODE_NAME, Instant::now, KUBELET_WORKERS).start();
        kubelet.setSchedulingBackoff(SCHEDULING_BACKOFF);

        OperatorRequestMeter meter = new OperatorRequestMeter();
        KubernetesClient operatorClient = new KubernetesClientBuilder()
            .withConfig(plane.tokenConfig(SharedControlPlane.serviceAccountToken(admin)))
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-meter", meter)).build();
        gc();
        long heapBefore = heapUsed();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OrdinalOperator operator = null;
        OperatorProcess process = null;
        // -Dordinal.bench.statefulSetStorage=false: without the storage mode's own claim and PV informers
        boolean statefulSetStorage = !"false".equals(System.getProperty("ordinal.bench.statefulSetStorage"));
        if (!builtin && OWN_PROCESS) {
          long startCreate = System.nanoTime();
          process = OperatorProcess.start(plane, SharedControlPlane.serviceAccountToken(admin), ns, statefulSetStorage,
              System.getProperty("ordinal.bench.operatorJvmOptions", OperatorProcess.IMAGE_JVM_OPTIONS), Path.of("target", "bench"));
          process.awaitReady(Duration.ofMinutes(3));
          rows.put("operator ready (own process: JVM start -> /readyz)", secs(System.nanoTime() - startCreate));
        } else if (!builtin) {
          long startCreate = System.nanoTime();
          OperatorConfig config = OperatorConfig.local(Set.of(ns)).withStatefulSetStorage(statefulSetStorage);
          operator = OrdinalOperator.create(operatorClient, config, registry, Instant::now);
          operator.start();
          while (!operator.isReady()) {
            Thread.sleep(5);
          }
          rows.put("operator ready (create+start -> isReady)", secs(System.nanoTime() - startCreate));
        }
        meter.reset();
        kubeletMeter.reset();
        ApiServerRequestCounts serverBefore = ApiServerRequestCounts.scrape(admin);
        ProcessCpu cpuBefore = ProcessCpu.sample();
        ThreadCpu threadsBefore = ThreadCpu.sample();

        long t0 = System.nanoTime();
        if (builtin) {
          // unlabelled: the cluster's StatefulSet controller and PV binder alone
          var sts = Fixtures.statefulSet(ns, "bench", n, cls, "1Gi");
          sts.getMetadata().getLabels().remove(dev.ordinal.spec.StatefulSetDefinitions.STORAGE_LABEL);
          sts.getSpec().setPodManagementPolicy(policy.name());
          admin.apps().statefulSets().inNamespace(ns).resource(sts).create();
        } else {
          OrdinalSet set = Fixtures.set(ns, "bench", n, cls, "1Gi");
          set.getSpec().setPodManagementPolicy(policy);
          admin.resources(OrdinalSet.class).inNamespace(ns).resource(set).create();
        }
        long first = -1;
        long allCreated = -1;
        long bound = -1;
        long ready = -1;
        long deadline = t0 + timeout.toNanos();
        long lastPrint = t0;
        while ((bound < 0 || ready < 0) && System.nanoTime() < deadline) {
          Thread.sleep(5);
          long now = System.nanoTime();
          if (first < 0 && timeline.count(OrdinalTimeline.Step.POD_CREATED) > 0) {
            first = now - t0;
          }
          if (allCreated < 0 && timeline.count(OrdinalTimeline.Step.POD_CREATED) >= n) {
            allCreated = now - t0;
          }
          if (bound < 0 && timeline.count(OrdinalTimeline.Step.CLAIM_BOUND) >= n) {
            bound = now - t0;
          }
          if (ready < 0 && timeline.count(OrdinalTimeline.Step.POD_READY) >= n) {
            ready = now - t0;
          }
          if (now - lastPrint > 10_000_000_000L) {
            lastPrint = now;
            System.out.printf("  [%d replicas, %.0f s] pods created %d, claims Bound %d, pods Ready %d%n", n, (now - t0) / 1e9,
                timeline.count(OrdinalTimeline.Step.POD_CREATED), timeline.count(OrdinalTimeline.Step.CLAIM_BOUND), timeline.count(OrdinalTimeline.Step.POD_READY));
          }
        }
        long wall = System.nanoTime() - t0;
        ProcessCpu cpu = ProcessCpu.sample().minus(cpuBefore);
        ThreadCpu threadCpu = ThreadCpu.sample().minus(threadsBefore);
        // Let in-flight writes of the binder land before counting.
        Thread.sleep(1000);
        ApiServerRequestCounts server = ApiServerRequestCounts.scrape(admin).minus(serverBefore);
        OperatorRequestMeter.Window operatorWindow = meter.reset();
        OperatorRequestMeter.Window kubeletWindow = kubeletMeter.reset();
        Thread.sleep(steady.toMillis());
        OperatorRequestMeter.Window steadyWindow = meter.reset();

        gc();
        long heapAll = heapUsed();
        long rss = rssBytes();
        OperatorProcess.Memory processMemory = null;
        double batchesAborted = registry.find("ordinal_executor_batches_aborted_total").counters().stream().mapToDouble(c -> c.count()).sum();
        if (operator != null) {
          operator.close();
          // Measure "without the operator" only once this frame no longer holds it either.
          operator = null;
        }
        if (process != null) {
          processMemory = process.memory();
          batchesAborted = process.counter("ordinal_executor_batches_aborted_total");
          process.close();
        }
        gc();
        long heapWithout = heapUsed();

        long operatorWrites = writes(OperatorRequestMeter.counts(operatorWindow));
        long kubeletWrites = writes(OperatorRequestMeter.counts(kubeletWindow));
        long allWrites = server.writes();
        // what neither the operator nor the kubelet simulator wrote: the cluster's controllers (PV binder, ...) and the set's own create
        long clusterWrites = allWrites - operatorWrites - kubeletWrites - 1;
        String title = "### " + n + " replicas, " + policy + (builtin ? ", the cluster's own StatefulSet controller (apps/v1, our operator not running)" : "")
            + (bound >= 0 && ready >= 0 ? "" : " -- DID NOT CONVERGE within " + timeout);
        rows.put("first pod", first < 0 ? "no" : secs(first));
        rows.put("all pods created", allCreated < 0 ? "no (" + timeline.count(OrdinalTimeline.Step.POD_CREATED) + "/" + n + ")" : secs(allCreated));
        rows.put("all claims Bound", bound < 0 ? "no (" + timeline.count(OrdinalTimeline.Step.CLAIM_BOUND) + "/" + n + ")" : secs(bound));
        rows.put("all pods Ready", ready < 0 ? "no (" + timeline.count(OrdinalTimeline.Step.POD_READY) + "/" + n + ")" : secs(ready));
        rows.put("writes per replica: operator + cluster controllers", process != null
            ? String.format("%.2f  (operator in its own process: not counted apart)", clusterWrites / (double) n)
            : String.format("%.2f  (operator %.2f, cluster %.2f)",
                (operatorWrites + clusterWrites) / (double) n, operatorWrites / (double) n, clusterWrites / (double) n));
        rows.put("writes per replica: kubelet simulator", String.format("%.2f", kubeletWrites / (double) n));
        OperatorRequestMeter.counts(operatorWindow).forEach((k, v) -> {
          if (OperatorRequestMeter.isWrite(k)) {
            rows.put("  operator " + k + " (per replica)", String.format("%.3f  (%d)", v / (double) n, v));
          }
        });
        rows.put("409 answers (all clients), by verb and resource", server.conflicts().isEmpty() ? "none" : server.conflicts().toString());
        rows.put("slow-start batches aborted", String.format("%.0f", batchesAborted));
        rows.put("requests per second at the API server (all clients)", String.format("%.0f", server.total() / (wall / 1e9)));
        rows.put("CPU by process until all Ready", cpu.describe(wall));
        rows.put("test JVM CPU by thread until all Ready (live threads)", threadCpu.describe(8));
        rows.put("steady state " + steady.toSeconds() + " s: operator writes", Long.toString(writes(OperatorRequestMeter.counts(steadyWindow))));
        if (processMemory != null) {
          rows.put("operator process: RSS (VmRSS) at the end", mib(processMemory.rssBeforeGc()));
          rows.put("operator process: heap used after a full GC (jcmd GC.run, GC.heap_info)", mib(processMemory.heapAfterGc()));
          rows.put("operator process: RSS after that GC", mib(processMemory.rssAfterGc()));
          if (!processMemory.nativeMemory().isEmpty()) {
            rows.put("operator process: committed memory by JVM category (NativeMemoryTracking)", processMemory.nativeMemory());
          }
          rows.put("RSS of the test JVM (kubelet simulator + test informers)", mib(rss));
        } else if (!builtin) {
          rows.put("operator heap share after GC (all - after stop)", mib(heapAll - heapWithout));
          rows.put("heap used after GC before the operator started", mib(heapBefore));
          rows.put("RSS of the test JVM (operator + kubelet simulator + test informers)", mib(rss));
        }
        String breakdown = policy == PodManagementPolicy.OrderedReady ? timeline.orderedReadyBreakdown(n) : "";
        timeline.close();
        kubelet.close();
        kubeletClient.close();
        operatorClient.close();
        watchers.forEach(SharedIndexInformer::close);
        SharedControlPlane.retireNamespace(admin, ns);
        StringBuilder sb = new StringBuilder(title).append("\n\n| measure | value |\n|---|---|\n");
        rows.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (!breakdown.isEmpty()) {
          sb.append("\nOne OrderedReady ordinal, as a watcher of the namespace saw it:\n\n| step | time |\n|---|---|\n").append(breakdown);
        }
        return sb.toString();
      }
    }

    private void createVolumes(KubernetesClient admin, String cls) throws Exception {
      ConvergenceBenchmarkTest.inParallel(n, 32, i -> admin.persistentVolumes().resource(Fixtures.withLabels(
          Fixtures.pv(String.format("%s-pv-%05d", ns, i), "1Gi", cls, "ReadWriteOnce"), Map.of("bench", ns))).create());
    }
  }
}
