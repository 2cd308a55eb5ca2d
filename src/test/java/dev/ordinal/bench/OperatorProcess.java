package dev.ordinal.bench;

import dev.ordinal.cli.Main;
import dev.ordinal.sandbox.apiserver.KubeconfigWriter;
import dev.ordinal.sandbox.controlplane.ControlPlane;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator in a JVM of its own, started as the image starts it (the CLI's {@code run}, the
 * image's JVM flags unless {@code ordinal.bench.operatorJvmOptions} says otherwise) with a
 * kubeconfig of the chart's ServiceAccount token: so that its RSS and heap are its own and not
 * the test JVM's, which also holds the kubelet simulator and the benchmark's watchers.
 */
final class OperatorProcess implements AutoCloseable {
  /** The Dockerfile's ENTRYPOINT flags. */
  static final String IMAGE_JVM_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static OperatorProcess start(ControlPlane plane, String token, String namespace, boolean statefulSetStorage, String jvmOptions, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    Path kubeconfig = KubeconfigWriter.writeToken(dir.resolve("operator-" + namespace + ".kubeconfig"), plane.adminConfig().getMasterUrl(),
        Files.readAllBytes(plane.apiServerCertificate()), token);
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.stream(jvmOptions.split("\\s+")).filter(s -> !s.isEmpty()).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
        "--namespaces=" + namespace, "--leader-election=false", "--http-port=" + port, "--statefulset-storage=" + statefulSetStorage));
    Path log = dir.resolve("operator-" + namespace + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    return new OperatorProcess(pb.start(), port, log);
  }

  /** Waits for /readyz (informers synced and watching), as a kubelet's readiness probe would. */
  void awaitReady(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator process exited with " + process.exitValue() + ", see " + log);
      }
      try {
        if (get("/readyz").statusCode() == 200) {
          return;
        }
      } catch (IOException notServingYet) {
        // the HTTP endpoints start with the operator
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the operator process was not ready within " + within + ", see " + log);
  }

  /** The sum of one Prometheus counter's series on the process's /metrics. */
  double counter(String name) throws Exception {
    return get("/metrics").body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /**
   * RSS now, then heap used and RSS after a full GC ({@code jcmd GC.run}), in bytes; with
   * {@code -XX:NativeMemoryTracking=summary} among the JVM flags, also where the committed memory
   * is, by the JVM's own categories (the non-heap part of the RSS).
   */
  Memory memory() throws Exception {
    long rss = rssBytes();
    jcmd("GC.run");
    long heap = heapUsed(jcmd("GC.heap_info"));
    long after = rssBytes();
    String nativeMemory = nativeMemory();
    return new Memory(rss, heap, after, nativeMemory);
  }

  private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

  /** "Java Heap 120 MiB, Class 60 MiB, ..." from {@code VM.native_memory summary}, largest first; empty without tracking. */
  private String nativeMemory() throws Exception {
    String out;
    try {
      out = jcmd("VM.native_memory summary");
    } catch (IllegalStateException notTracking) {
      return "";
    }
    List<String[]> categories = new ArrayList<>();
    for (String line : out.lines().map(String::trim).toList()) {
      Matcher m = NMT_CATEGORY.matcher(line);
      if (m.find()) {
        categories.add(new String[] {m.group(1).trim(), m.group(2)});
      }
    }
    categories.sort((a, b) -> Long.compare(Long.parseLong(b[1]), Long.parseLong(a[1])));
    return categories.stream().limit(10).map(c -> String.format("%s %d MiB", c[0], Long.parseLong(c[1]) / 1024))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * The heap's "used" from {@code GC.heap_info}: G1 prints one line for the whole heap, Serial and
   * Parallel one per generation ("DefNew total ..., used ...", "Tenured total ..."), summed here;
   * lines without "total" (spaces, Metaspace) are parts or not heap.
   */
  static long heapUsed(String heapInfo) {
    long kib = heapInfo.lines().filter(l -> l.contains(" total ")).mapToLong(l -> {
      Matcher used = HEAP_USED.matcher(l);
      return used.find() ? Long.parseLong(used.group(1)) : 0;
    }).sum();
    return kib * 1024;
  }

  record Memory(long rssBeforeGc, long heapAfterGc, long rssAfterGc, String nativeMemory) {}

  private long rssBytes() throws IOException {
    Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  private String jcmd(String what) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(process.pid()), what)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + what + " failed: " + out);
    }
    return out;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM, as a pod's stop: the operator releases what it holds and exits. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    http.close();
  }
}
