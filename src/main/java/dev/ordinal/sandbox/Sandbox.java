package dev.ordinal.sandbox;

import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.admission.CustomResourceValidator;
import dev.ordinal.sandbox.admission.FieldError;
import dev.ordinal.sandbox.apiserver.AdmissionValidator;
import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import dev.ordinal.sandbox.apiserver.KubeconfigWriter;
import dev.ordinal.sandbox.apiserver.WatchStreamingFront;
import dev.ordinal.sandbox.cluster.VolumeResizer;
import dev.ordinal.sandbox.controlplane.ControlPlane;
import dev.ordinal.sandbox.controlplane.ControlPlaneBinaries;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Kubernetes for trying the operator, on one of two backends:
 * <ul>
 *   <li>{@link Backend#REAL}: a real control plane ({@link ControlPlane}: etcd, kube-apiserver,
 *       kube-controller-manager with the PV binder and garbage collector) with the CRD installed,
 *       plus the {@link VolumeResizer}, which a bare control plane lacks;
 *   <li>{@link Backend#MOCK}: the {@link EmbeddedApiServer} (fabric8 mock in CRUD mode, with the
 *       garbage collector, PV controller, resizer and StatefulSet controller it plays) and the OrdinalSet CRD with its
 *       schema and CEL rules enforced on admission, all in this JVM.
 * </ul>
 * On both, the {@link KubeletSimulator} plays the node and the operator itself runs in this JVM,
 * and a kubeconfig is written for the user's own kubectl. It is not a production cluster: no
 * container ever runs and no volume is ever mounted.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

  /** The CRD as the build generated it, inside the jar. */
  public static final String CRD_RESOURCE = "/META-INF/fabric8/ordinalsets.ordinal.dev-v1.yml";
  /** The examples, inside the jar (the same files as the project's {@code examples/}). */
  public static final String EXAMPLES_RESOURCE = "/examples/";
  /** Example name -> files applied, in order. */
  public static final Map<String, List<String>> EXAMPLES = Map.of(
      "web", List.of("pvs.yaml", "web.yaml"),
      "one-pv-failure", List.of("one-pv-failure.yaml"),
      "statefulset", List.of("statefulset.yaml"));

  /**
   * Pods the kubelet simulator handles at once (never one pod twice at once). With one, a Parallel
   * set of 1,000 on a real API server waited for the simulator: about one pod per second on the
   * shared 2-core machine, four requests in series per pod. Order within a set is the operator's
   * doing (it creates, deletes and replaces pods one at a time where the policy says so), not the
   * simulator's.
   */
  static final int KUBELET_WORKERS = Integer.getInteger("ordinal.sandbox.kubeletWorkers", 8);

  // java.util.logging keeps loggers weakly: hold the ones we quieten.
  private static final List<java.util.logging.Logger> QUIETENED = new ArrayList<>();

  /** Which API server the sandbox runs on. */
  public enum Backend {
    /** The real one where its binaries can be had ({@link #realAvailability()}), else the mock. */
    AUTO,
    /** etcd, kube-apiserver and kube-controller-manager: a real control plane on this machine. */
    REAL,
    /** The fabric8 mock server with the sandbox's emulation, in this JVM. */
    MOCK;

    public static Backend parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown backend '" + value + "'; known: real, mock (or auto)");
      }
    }
  }

  /**
   * @param port the API server's port on 127.0.0.1; 0 picks a free one
   * @param kubeconfig where to write the kubeconfig
   * @param example an entry of {@link #EXAMPLES}, or {@code none}
   * @param readyTimeout how long to wait for the operator and the example to settle
   * @param backend which API server; {@link Backend#AUTO} falls back to the mock when no real one can be had
   */
  public record Options(int port, Path kubeconfig, String example, Duration readyTimeout, Backend backend) {
    public Options {
      if (!"none".equals(example) && !EXAMPLES.containsKey(example)) {
        throw new IllegalArgumentException("unknown example '" + example + "'; known: " + EXAMPLES.keySet() + " or none");
      }
      Objects.requireNonNull(backend, "backend");
    }

    public Options(int port, Path kubeconfig, String example, Duration readyTimeout) {
      this(port, kubeconfig, example, readyTimeout, Backend.AUTO);
    }

    public static Options defaults() {
      return new Options(6443, Path.of("sandbox.kubeconfig"), "web", Duration.ofSeconds(30), Backend.AUTO);
    }

    public Options withPort(int p) {
      return new Options(p, kubeconfig, example, readyTimeout, backend);
    }

    public Options withKubeconfig(Path k) {
      return new Options(port, k, example, readyTimeout, backend);
    }

    public Options withExample(String e) {
      return new Options(port, kubeconfig, e, readyTimeout, backend);
    }

    public Options withBackend(Backend b) {
      return new Options(port, kubeconfig, example, readyTimeout, b);
    }

    public Options withReadyTimeout(Duration t) {
      return new Options(port, kubeconfig, example, t, backend);
    }
  }

  /**
   * Whether a real control plane can be started here: empty when it can, else the reason (no
   * kube-controller-manager, which kube-api-test never downloads). etcd and kube-apiserver may
   * still be downloaded by kube-api-test on a connected machine; {@link #start} says if that fails.
   */
  public static Optional<String> realAvailability() {
    ControlPlaneBinaries binaries = ControlPlaneBinaries.fromEnvironment();
    if (!binaries.controllerManagerPresent()) {
      return Optional.of("no kube-controller-manager in " + binaries.binDir());
    }
    return Optional.empty();
  }

  /** What to do to get the real backend, for the one-line fallback notice. */
  public static final String REAL_BACKEND_HINT =
      "for the real one, run ../shared/kube-api-test/install.sh ~/.kubeapitest (or set KUBE_API_TEST_DIR to a folder of"
          + " etcd, kube-apiserver and kube-controller-manager v" + ControlPlaneBinaries.PINNED_VERSION + ")";

  /** The API server under the sandbox, with what it brings along; each backend closes its own parts. */
  private interface Server extends AutoCloseable {
    KubernetesClient client();

    String url();

    Path writeKubeconfig(Path file);

    @Override
    void close();
  }

  private final Backend backend;
  private final Server server;
  private final KubeletSimulator kubelet;
  private final OrdinalOperator operator;
  private final Path kubeconfig;
  private final Optional<String> fallbackReason;

  private Sandbox(Backend backend, Server server, KubeletSimulator kubelet, OrdinalOperator operator, Path kubeconfig,
      Optional<String> fallbackReason) {
    this.backend = backend;
    this.server = server;
    this.kubelet = kubelet;
    this.operator = operator;
    this.kubeconfig = kubeconfig;
    this.fallbackReason = fallbackReason;
  }

  /**
   * Starts everything and returns once the operator is ready and the example's claims are Bound.
   * With {@link Backend#REAL} and no control plane to be had, throws {@link ControlPlane.Unavailable};
   * with {@link Backend#AUTO} it then runs on the mock and {@link #fallbackReason()} says why.
   */
  public static Sandbox start(Options options) {
    Optional<String> fallback = Optional.empty();
    Backend backend = options.backend();
    if (backend == Backend.AUTO) {
      Optional<String> unavailable = realAvailability();
      backend = unavailable.isPresent() ? Backend.MOCK : Backend.REAL;
      fallback = unavailable;
    }
    long t0 = System.nanoTime();
    Server server;
    if (backend == Backend.REAL) {
      try {
        server = RealServer.start(options.port());
      } catch (ControlPlane.Unavailable e) {
        if (options.backend() != Backend.AUTO) {
          throw e;
        }
        backend = Backend.MOCK;
        fallback = Optional.of(e.getMessage());
        server = MockServer.start(options.port());
      }
    } else {
      server = MockServer.start(options.port());
    }
    log.debug("{} API server up after {} ms", backend, (System.nanoTime() - t0) / 1_000_000);
    KubeletSimulator kubelet = null;
    OrdinalOperator operator = null;
    try {
      kubelet = new KubeletSimulator(server.client(), KubeletSimulator.NODE_NAME, Instant::now, KUBELET_WORKERS).start();
      operator = OrdinalOperator.create(server.client(), OperatorConfig.local(Set.of()), new SimpleMeterRegistry(),
          Instant::now);
      operator.start();
      Path kubeconfig = server.writeKubeconfig(options.kubeconfig().toAbsolutePath());
      Sandbox sandbox = new Sandbox(backend, server, kubelet, operator, kubeconfig, fallback);
      sandbox.awaitOperatorReady(options.readyTimeout());
      log.debug("operator ready after {} ms", (System.nanoTime() - t0) / 1_000_000);
      if (!"none".equals(options.example())) {
        sandbox.applyExample(options.example(), options.readyTimeout());
        log.debug("example {} settled after {} ms", options.example(), (System.nanoTime() - t0) / 1_000_000);
      }
      return sandbox;
    } catch (RuntimeException e) {
      if (operator != null) {
        operator.close();
      }
      if (kubelet != null) {
        kubelet.close();
      }
      server.close();
      throw e;
    }
  }

  /** The fabric8 mock behind the sandbox's front, with the cluster controllers it plays and the CRD's admission. */
  private static final class MockServer implements Server {
    private final EmbeddedApiServer server;
    private final WatchStreamingFront front;

    private MockServer(EmbeddedApiServer server, WatchStreamingFront front) {
      this.server = server;
      this.front = front;
    }

    static MockServer start(int port) {
      quietenMockServerLogs();
      // Compiling the CEL rules takes a while: do it while the server starts.
      var crdAndAdmission = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        CustomResourceDefinition crd = loadCrd();
        return Map.entry(crd, admission(crd));
      });
      EmbeddedApiServer server = EmbeddedApiServer.start(0);
      try {
        WatchStreamingFront front = WatchStreamingFront.start(server, port);
        server.setAdmissionValidator(crdAndAdmission.join().getValue());
        server.installCrd(crdAndAdmission.join().getKey());
        return new MockServer(server, front);
      } catch (IOException e) {
        server.close();
        throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }

    @Override
    public KubernetesClient client() {
      return server.client();
    }

    @Override
    public String url() {
      return front.url();
    }

    @Override
    public Path writeKubeconfig(Path file) {
      return KubeconfigWriter.write(file, front.url());
    }

    @Override
    public void close() {
      front.close();
      server.close();
    }
  }

  /**
   * A real control plane (etcd, kube-apiserver, kube-controller-manager with the PV binder, garbage
   * collector, namespace and protection controllers), the CRD installed, and the one cluster part a
   * bare control plane lacks and the operator relies on: the volume resizer (a CSI driver's).
   */
  private static final class RealServer implements Server {
    private final ControlPlane plane;
    private final KubernetesClient client;
    private final VolumeResizer resizer;
    private final Path workDir;

    private RealServer(ControlPlane plane, KubernetesClient client, VolumeResizer resizer, Path workDir) {
      this.plane = plane;
      this.client = client;
      this.resizer = resizer;
      this.workDir = workDir;
    }

    static RealServer start(int port) {
      Path workDir;
      try {
        workDir = Files.createTempDirectory("ordinal-sandbox-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ControlPlane plane;
      try {
        plane = ControlPlane.start(workDir, ControlPlaneBinaries.fromEnvironment(), port);
      } catch (RuntimeException e) {
        if (e instanceof ControlPlane.Unavailable) {
          deleteTree(workDir);
        }
        throw e;
      }
      KubernetesClient client = null;
      VolumeResizer resizer = null;
      try {
        client = plane.adminClient();
        installCrd(client, loadCrd());
        resizer = new VolumeResizer(client).start();
        return new RealServer(plane, client, resizer, workDir);
      } catch (RuntimeException e) {
        if (resizer != null) {
          resizer.close();
        }
        if (client != null) {
          client.close();
        }
        plane.close();
        throw e;
      }
    }

    private static void installCrd(KubernetesClient client, CustomResourceDefinition crd) {
      var crds = client.apiextensions().v1().customResourceDefinitions();
      // Right after start the RBAC cache may answer 403 for a moment (deps notes): retry briefly.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          crds.resource(crd).createOr(r -> r.update());
          break;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (System.nanoTime() > deadline || (e.getCode() != 403 && e.getCode() != 0 && e.getCode() < 500)) {
            throw e;
          }
          sleep(200);
        }
      }
      awaitTrue(Duration.ofSeconds(30), "CRD " + crd.getMetadata().getName() + " Established", () -> {
        var c = crds.withName(crd.getMetadata().getName()).get();
        return c != null && c.getStatus() != null && c.getStatus().getConditions() != null
            && c.getStatus().getConditions().stream()
                .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus()));
      });
    }

    @Override
    public KubernetesClient client() {
      return client;
    }

    @Override
    public String url() {
      return plane.masterUrl();
    }

    @Override
    public Path writeKubeconfig(Path file) {
      try {
        return KubeconfigWriter.writeTls(file, plane.masterUrl(), Files.readAllBytes(plane.apiServerCertificate()),
            Files.readAllBytes(plane.clientCertificate()), Files.readAllBytes(plane.clientKey()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      resizer.close();
      client.close();
      plane.close(); // stops the processes and deletes etcd's data
      deleteTree(workDir);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}: {}", dir, e.getMessage());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The backend it runs on: {@link Backend#REAL} or {@link Backend#MOCK}, never AUTO. */
  public Backend backend() {
    return backend;
  }

  /** Why a sandbox asked for {@link Backend#AUTO} runs on the mock; empty when it runs on the real one. */
  public Optional<String> fallbackReason() {
    return fallbackReason;
  }

  /** The URL kubectl uses (the kubeconfig's server). */
  public String url() {
    return server.url();
  }

  public KubernetesClient client() {
    return server.client();
  }

  /** Absolute path of the kubeconfig written for kubectl. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public KubeletSimulator kubelet() {
    return kubelet;
  }

  /** Applies (create or replace) every object of an example resource file, e.g. {@code pvs.yaml}. */
  public List<HasMetadata> applyResource(String fileName) {
    return applyResource(fileName, "default", Optional::of);
  }

  /**
   * Applies an example file after an edit, as {@code kubectl apply -n namespace} would: objects
   * that name no namespace go to {@code namespace} (cluster-scoped ones stay cluster-scoped); each
   * object the edit returns is created or replaced, and one it returns empty for is left alone.
   * Leave alone what the edit did not change: a replace is not kubectl's three-way merge, and would
   * take a bound volume's claimRef away, for instance.
   */
  public List<HasMetadata> applyResource(String fileName, String namespace,
      java.util.function.Function<HasMetadata, Optional<HasMetadata>> edit) {
    try (InputStream in = openExample(fileName)) {
      List<HasMetadata> applied = new ArrayList<>();
      for (HasMetadata item : client().load(in).items()) {
        String ns = item.getMetadata().getNamespace() == null ? namespace : item.getMetadata().getNamespace();
        edit.apply(item).ifPresent(edited -> applied.add(client().resource(edited).inNamespace(ns).createOr(r -> r.update())));
      }
      return applied;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies an example's files and waits until the claims of its sets are Bound (where they can be). */
  public void applyExample(String name, Duration timeout) {
    List<String> files = EXAMPLES.get(name);
    if (files == null) {
      throw new IllegalArgumentException("unknown example " + name);
    }
    List<HasMetadata> applied = new ArrayList<>();
    files.forEach(f -> applied.addAll(applyResource(f)));
    if ("web".equals(name) || "statefulset".equals(name)) {
      awaitTrue(timeout, "claims www-web-0 and www-web-1 Bound and pods Ready", () ->
          bound("www-web-0") && bound("www-web-1") && ready("web-0") && ready("web-1"));
    }
  }

  private boolean bound(String claim) {
    var c = client().persistentVolumeClaims().inNamespace("default").withName(claim).get();
    return c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
  }

  private boolean ready(String pod) {
    var p = client().pods().inNamespace("default").withName(pod).get();
    return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void awaitOperatorReady(Duration timeout) {
    awaitTrue(timeout, "operator ready", operator::isReady);
  }

  private static void awaitTrue(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("sandbox: timed out after " + timeout.toSeconds() + "s waiting for " + what);
      }
      try {
        Thread.sleep(100); // each poll is a few GETs: keep the CPU for the operator
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  static InputStream openExample(String fileName) {
    Path local = Path.of("examples", fileName);
    InputStream in = Sandbox.class.getResourceAsStream(EXAMPLES_RESOURCE + fileName);
    if (in == null) {
      try {
        return Files.newInputStream(local);
      } catch (IOException e) {
        throw new UncheckedIOException("example " + fileName + " is neither on the classpath nor in examples/", e);
      }
    }
    return in;
  }

  private static CustomResourceDefinition loadCrd() {
    try (InputStream in = Sandbox.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + CRD_RESOURCE + " is not on the classpath; build with ./mvnw package");
      }
      return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The API server's admission for the CRD's resources: schema defaults applied, then the
   * OpenAPI schema and CEL rules judged. The rejection message is the part after
   * {@code is invalid: }, which the server prefixes with kind and name itself, so it starts with
   * the field path ({@code spec.replicas: Invalid value: -1: ...}).
   */
  static AdmissionValidator admission(CustomResourceDefinition crd) {
    CustomResourceValidator validator = new CustomResourceValidator(crd);
    String group = crd.getSpec().getGroup();
    String plural = crd.getSpec().getNames().getPlural();
    String kind = crd.getSpec().getNames().getKind();
    return (g, version, p, newObject, oldObject) -> {
      if (!group.equals(g) || !plural.equals(p)) {
        return Optional.empty();
      }
      Map<String, Object> defaulted = validator.applyDefaults(version, newObject);
      Map<String, Object> oldDefaulted = oldObject == null ? null : validator.applyDefaults(version, oldObject);
      List<FieldError> errors = validator.validate(version, defaulted, oldDefaulted);
      if (errors.isEmpty()) {
        return Optional.empty();
      }
      Object meta = newObject.get("metadata");
      String name = meta instanceof Map<?, ?> m && m.get("name") != null ? m.get("name").toString() : "";
      String message = validator.toStatusMessage(kind, name, errors);
      String marker = " is invalid: ";
      return Optional.of(message.substring(message.indexOf(marker) + marker.length()));
    };
  }

  /** The fabric8 mock web server logs every request at INFO through java.util.logging. */
  private static void quietenMockServerLogs() {
    synchronized (QUIETENED) {
      if (QUIETENED.isEmpty()) {
        for (String name : List.of("io.fabric8.mockwebserver", "io.fabric8.kubernetes.client.server.mock", "io.fabric8")) {
          java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
          l.setLevel(Level.WARNING);
          QUIETENED.add(l);
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      operator.close();
    } catch (RuntimeException e) {
      log.warn("stopping the operator failed", e);
    }
    kubelet.close();
    server.close();
  }
}
