package dev.ordinal.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.KubeletSimulator;
import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Convergence benchmark (issue 6 item 2): the sandbox (EmbeddedApiServer + KubeletSimulator + the
 * real operator, one JVM), a Parallel set of N replicas with N static PVs (class {@code bench},
 * 1Gi RWO, Available). Prints a table; skipped unless {@code -Dordinal.bench=true}.
 *
 * <pre>
 * ./mvnw -B -o test -Dtest=ConvergenceBenchmarkTest -Dordinal.bench=true -Dordinal.bench.replicas=1000,10000
 * </pre>
 *
 * Properties: {@code ordinal.bench.replicas} (comma list, default 1000), {@code ordinal.bench.runs}
 * (runs per size, default 1), {@code ordinal.bench.kubeletWorkers} (default 8), {@code ordinal.bench.steady} (seconds of steady state watched after
 * convergence, default 30), {@code ordinal.bench.timeout} (seconds per run, default 1800). The
 * operator has its own client; only its requests are counted. See docs/benchmarks.md, "Convergence benchmark".
 */
class ConvergenceBenchmarkTest {
  private static final String NS = "bench";
  /** Pods the kubelet simulator handles at once (its default is 1, one pod after the other). */
  private static final int KUBELET_WORKERS = Integer.getInteger("ordinal.bench.kubeletWorkers", 8);

  @Test
  void convergence() throws Exception {
    assumeTrue(Boolean.getBoolean("ordinal.bench"), "benchmark: run with -Dordinal.bench=true");
    int[] sizes = Arrays.stream(System.getProperty("ordinal.bench.replicas", "1000").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    int runs = Integer.getInteger("ordinal.bench.runs", 1);
    Duration steady = Duration.ofSeconds(Integer.getInteger("ordinal.bench.steady", 30));
    Duration timeout = Duration.ofSeconds(Integer.getInteger("ordinal.bench.timeout", 1800));

    StringBuilder report = new StringBuilder();
    report.append(machine()).append('\n');
    report.append(startupProbe()).append('\n');
    for (int n : sizes) {
      for (int r = 1; r <= runs; r++) {
        String table = new Run(n, steady, timeout).execute(r, runs);
        System.out.println(table);
        report.append(table).append('\n');
      }
    }
    Path out = Path.of("target", "bench", "convergence-" + Instant.now().toString().replace(':', '-') + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    System.out.println(report);
    System.out.println("written to " + out);
  }

  private static String machine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return "kubelet simulator workers: " + KUBELET_WORKERS + "\n\nmachine: " + Runtime.getRuntime().availableProcessors() + " cores (shared; load average at start "
        + String.format("%.1f", os.getSystemLoadAverage()) + "), max heap " + mib(Runtime.getRuntime().maxMemory())
        + ", Java " + System.getProperty("java.version");
  }

  /** JVM start -> operator ready, on an empty sandbox, as the first thing this JVM does. */
  private static String startupProbe() throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
      installCrd(server);
      long serverUp = System.currentTimeMillis();
      KubernetesClient client = server.client();
      long created = System.currentTimeMillis();
      OrdinalOperator operator = OrdinalOperator.create(client, OperatorConfig.local(Set.of()), new SimpleMeterRegistry(), Instant::now);
      operator.start();
      while (!operator.isReady()) {
        Thread.sleep(5);
      }
      long ready = System.currentTimeMillis();
      operator.close();
      return "startup: JVM start -> operator ready " + (ready - jvmStart) + " ms (of which JVM start -> API server up and CRD installed "
          + (serverUp - jvmStart) + " ms, OrdinalOperator.create+start -> isReady " + (ready - created)
          + " ms; the JVM is surefire's fork, so its start includes surefire and JUnit boot)";
    }
  }

  private static void installCrd(EmbeddedApiServer server) throws Exception {
    try (InputStream in = Files.newInputStream(OperatorHarness.CRD_FILE)) {
      CustomResourceDefinition crd = server.client().apiextensions().v1().customResourceDefinitions().load(in).item();
      server.installCrd(crd);
    }
  }

  static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / 1048576.0);
  }

  private static final class Run {
    private final int n;
    private final Duration steady;
    private final Duration timeout;
    private final Set<String> readyPods = ConcurrentHashMap.newKeySet();
    private final Set<String> createdPods = ConcurrentHashMap.newKeySet();
    private final Set<String> boundClaims = ConcurrentHashMap.newKeySet();
    private final Set<String> availablePvs = ConcurrentHashMap.newKeySet();

    Run(int n, Duration steady, Duration timeout) {
      this.n = n;
      this.steady = steady;
      this.timeout = timeout;
    }

    String execute(int run, int runs) throws Exception {
      Map<String, String> rows = new LinkedHashMap<>();
      try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
        installCrd(server);
        KubernetesClient admin = server.client();
        admin.storage().v1().storageClasses().resource(Fixtures.storageClass("bench", "kubernetes.io/no-provisioner", "Immediate", false)).create();
        List<SharedIndexInformer<?>> watchers = new ArrayList<>();
        watchers.add(admin.persistentVolumes().inform(tracker(availablePvs, pv -> pv.getStatus() != null && "Available".equals(pv.getStatus().getPhase()))));
        long t = System.nanoTime();
        createVolumes(admin);
        awaitCount(availablePvs, n, Duration.ofMinutes(30), "PVs Available");
        rows.put("setup: " + n + " PVs created and Available", secs(System.nanoTime() - t));
        watchers.add(admin.persistentVolumeClaims().inNamespace(NS).inform(tracker(boundClaims,
            c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()))));
        watchers.add(admin.pods().inNamespace(NS).inform(tracker(readyPods, ConvergenceBenchmarkTest::isReady)));
        watchers.add(admin.pods().inNamespace(NS).inform(tracker(createdPods, p -> true)));

        KubernetesClient kubeletClient = new KubernetesClientBuilder().withConfig(config(server.url())).build();
        KubeletSimulator kubelet = new KubeletSimulator(kubeletClient, KubeletSimulator.NODE_NAME, Instant::now, KUBELET_WORKERS).start();

        OperatorRequestMeter meter = new OperatorRequestMeter();
        KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(config(server.url()))
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-meter", meter)).build();
        gc();
        long heapBeforeOperator = heapUsed();
        long startCreate = System.nanoTime();
        OrdinalOperator operator = OrdinalOperator.create(operatorClient, OperatorConfig.local(Set.of()), new SimpleMeterRegistry(), Instant::now);
        operator.start();
        while (!operator.isReady()) {
          Thread.sleep(5);
        }
        long readyNanos = System.nanoTime() - startCreate;
        OperatorRequestMeter.Window startupWindow = meter.reset();
        Map<String, Long> cpuBefore = cpuByThreadGroup();
        long cpuProcessBefore = processCpuNanos();

        long t0 = System.nanoTime();
        admin.resources(OrdinalSet.class).inNamespace(NS).resource(Fixtures.parallel(Fixtures.set(NS, "bench", n, "bench", "1Gi"))).create();
        long bound = -1;
        long ready = -1;
        long reported = -1;
        long allCreated = -1;
        long deadline = t0 + timeout.toNanos();
        long lastPrint = t0;
        long lastStatusCheck = t0;
        while ((bound < 0 || ready < 0 || reported < 0) && System.nanoTime() < deadline) {
          Thread.sleep(20);
          long now = System.nanoTime();
          if (ready >= 0 && reported < 0 && now - lastStatusCheck > 200_000_000L) {
            lastStatusCheck = now;
            OrdinalSet s = admin.resources(OrdinalSet.class).inNamespace(NS).withName("bench").get();
            if (s.getStatus() != null && s.getStatus().getReadyReplicas() != null && s.getStatus().getReadyReplicas() == n
                && s.getStatus().getAvailableReplicas() != null && s.getStatus().getAvailableReplicas() == n
                && s.getStatus().getBoundClaims() != null && s.getStatus().getBoundClaims() == n
                && s.getStatus().getConditions().stream().anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))) {
              reported = System.nanoTime() - t0;
            }
          }
          if (allCreated < 0 && createdPods.size() >= n) {
            allCreated = now - t0;
          }
          if (bound < 0 && boundClaims.size() >= n) {
            bound = now - t0;
          }
          if (ready < 0 && readyPods.size() >= n) {
            ready = now - t0;
          }
          if (now - lastPrint > 10_000_000_000L) {
            lastPrint = now;
            System.out.printf("  [%d replicas, %.0f s] pods created %d, claims Bound %d, pods Ready %d, operator writes %d%n", n, (now - t0) / 1e9,
                createdPods.size(), boundClaims.size(), readyPods.size(), writes(OperatorRequestMeter.counts(meter.current())));
          }
        }
        long wall = System.nanoTime() - t0;
        OperatorRequestMeter.Window convergence = meter.reset();
        Map<String, Long> cpuAfter = cpuByThreadGroup();
        long cpuProcess = processCpuNanos() - cpuProcessBefore;
        boolean converged = bound >= 0 && ready >= 0 && reported >= 0;

        // Steady state: nothing changes; count what the operator still sends.
        Thread.sleep(steady.toMillis());
        OperatorRequestMeter.Window steadyWindow = meter.reset();

        // Memory: whole JVM, then the operator's share (heap released when it stops).
        gc();
        long heapAll = heapUsed();
        long rss = rssBytes();
        operator.close();
        operatorClient.close();
        gc();
        long heapWithoutOperator = heapUsed();

        String title = "### " + n + " replicas (run " + run + "/" + runs + ")" + (converged ? "" : " -- DID NOT CONVERGE within " + timeout);
        rows.put("operator ready (create+start -> isReady, " + n + " PVs in the store)", String.format("%.2f s", readyNanos / 1e9));
        rows.put("startup requests (lists/watches)", OperatorRequestMeter.counts(startupWindow).toString());
        rows.put("all pods created (operator's part done; Ready is up to the kubelet simulator)", allCreated < 0 ? "no (" + createdPods.size() + "/" + n + ")" : secs(allCreated));
        rows.put("all claims Bound", bound < 0 ? "no (" + boundClaims.size() + "/" + n + ")" : secs(bound));
        rows.put("all pods Ready (convergence)", ready < 0 ? "no (" + readyPods.size() + "/" + n + ")" : secs(ready));
        rows.put("set status says all Ready, Available and Bound", reported < 0 ? "no" : secs(reported));
        Map<String, Long> counts = OperatorRequestMeter.counts(convergence);
        long writes = writes(counts);
        rows.put("operator requests during convergence", Long.toString(counts.values().stream().mapToLong(Long::longValue).sum()));
        rows.put("operator writes per replica", String.format("%.2f", writes / (double) n));
        counts.forEach((k, v) -> rows.put("  " + k + " (per replica)", String.format("%.3f  (%d)", v / (double) n, v)));
        Map<String, Long> failures = new TreeMap<>();
        convergence.failures.forEach((k, v) -> failures.put(k, v.sum()));
        rows.put("  of which not 2xx", failures.isEmpty() ? "none" : failures.toString());
        long busy = OperatorRequestMeter.busyNanos(convergence);
        long sumLatency = convergence.latencyNanos.sum();
        rows.put("wall (set created -> status reports convergence, or timeout)", secs(wall));
        rows.put("  operator waiting on API server (>=1 request in flight)", String.format("%s (%.0f%% of wall)", secs(busy), 100.0 * busy / wall));
        rows.put("  no operator request in flight", secs(wall - busy));
        rows.put("  sum of operator request latencies", String.format("%s (mean %.1f ms)", secs(sumLatency),
            convergence.spans.isEmpty() ? 0 : sumLatency / 1e6 / convergence.spans.size()));
        rows.put("process CPU during convergence", secs(cpuProcess) + " (2 cores shared)");
        cpuAfter.forEach((g, v) -> {
          long d = v - cpuBefore.getOrDefault(g, 0L);
          if (d > 50_000_000L) {
            rows.put("  CPU " + g, secs(d));
          }
        });
        Map<String, Long> steadyCounts = OperatorRequestMeter.counts(steadyWindow);
        rows.put("steady state " + steady.toSeconds() + " s: operator requests", steadyCounts.isEmpty() ? "none" : steadyCounts.toString());
        rows.put("steady state writes", Long.toString(writes(steadyCounts)));
        synchronized (steadyWindow.firstWrites) {
          steadyWindow.firstWrites.forEach(wr -> System.out.println("  steady-state write: " + wr));
        }
        rows.put("heap used after GC, whole JVM", mib(heapAll));
        rows.put("heap used after GC, before operator started", mib(heapBeforeOperator));
        rows.put("heap used after GC, after operator stopped", mib(heapWithoutOperator));
        rows.put("operator heap share (all - after stop)", mib(heapAll - heapWithoutOperator));
        rows.put("RSS (VmRSS), whole JVM incl. mock server + simulator", mib(rss));
        kubelet.close();
        kubeletClient.close();
        watchers.forEach(SharedIndexInformer::close);
        StringBuilder sb = new StringBuilder(title).append("\n\n| measure | value |\n|---|---|\n");
        rows.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        return sb.toString();
      }
    }

    private void createVolumes(KubernetesClient admin) throws Exception {
      inParallel(n, 16, i -> admin.persistentVolumes().resource(Fixtures.pv(String.format("bench-pv-%05d", i), "1Gi", "bench", "ReadWriteOnce")).create());
    }

    private static void awaitCount(Set<String> set, int n, Duration max, String what) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (set.size() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(what + ": only " + set.size() + " of " + n);
        }
        Thread.sleep(20);
      }
    }
  }

  private static Config config(String url) {
    return new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default").withTrustCerts(true)
        .withRequestRetryBackoffLimit(0).build();
  }

  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> tracker(Set<String> set, Predicate<T> matches) {
    return new ResourceEventHandler<>() {
      public void onAdd(T o) {
        update(o);
      }

      public void onUpdate(T old, T o) {
        update(o);
      }

      public void onDelete(T o, boolean unknown) {
        set.remove(o.getMetadata().getName());
      }

      private void update(T o) {
        if (matches.test(o)) {
          set.add(o.getMetadata().getName());
        } else {
          set.remove(o.getMetadata().getName());
        }
      }
    };
  }

  /** Runs {@code task} for 0..n-1 on virtual threads, at most {@code parallel} at once, and waits for all. */
  static void inParallel(int n, int parallel, java.util.function.IntConsumer task) throws InterruptedException {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    Semaphore permits = new Semaphore(parallel);
    try {
      for (int i = 0; i < n; i++) {
        int index = i;
        permits.acquire();
        pool.execute(() -> {
          try {
            task.accept(index);
          } finally {
            permits.release();
          }
        });
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(30, java.util.concurrent.TimeUnit.MINUTES);
    }
  }

  static boolean isReady(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static long writes(Map<String, Long> counts) {
    return counts.entrySet().stream().filter(e -> OperatorRequestMeter.isWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  static String secs(long nanos) {
    return String.format("%.2f s", nanos / 1e9);
  }

  static void gc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
  }

  static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * CPU time of live platform threads by what they serve (virtual threads run on the
   * ForkJoinPool carriers). Threads that ended are missing, so this is a lower bound per group.
   */
  private static Map<String, Long> cpuByThreadGroup() {
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        out.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    return out;
  }

  private static String group(String name) {
    if (name.startsWith("vert.x")) {
      return "mock API server (vert.x threads)";
    }
    if (name.startsWith("ReconcilerExecutor")) {
      return "operator reconcile threads";
    }
    if (name.startsWith("ForkJoinPool")) {
      return "virtual-thread carriers (operator writes, setup)";
    }
    if (name.startsWith("HttpClient") || name.contains("SelectorManager")) {
      return "JDK HTTP clients (all clients)";
    }
    if (name.startsWith("sandbox-")) {
      return "sandbox PV controller + garbage collector";
    }
    if (name.startsWith("kubelet")) {
      return "kubelet simulator";
    }
    if (name.startsWith("GC") || name.contains("G1") || name.startsWith("VM ") || name.startsWith("C1") || name.startsWith("C2")) {
      return "JVM (GC, JIT)";
    }
    return "other";
  }
}
