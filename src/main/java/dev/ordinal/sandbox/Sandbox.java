package dev.ordinal.sandbox;

import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.admission.CustomResourceValidator;
import dev.ordinal.sandbox.admission.FieldError;
import dev.ordinal.sandbox.apiserver.AdmissionValidator;
import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import dev.ordinal.sandbox.apiserver.KubeconfigWriter;
import dev.ordinal.sandbox.apiserver.WatchStreamingFront;
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
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM that plays a small Kubernetes for the operator: the {@link EmbeddedApiServer} (fabric8
 * mock in CRUD mode, with its garbage collector and PV controller), the OrdinalSet CRD with its
 * schema and CEL rules enforced on admission, the {@link KubeletSimulator} and the operator itself,
 * plus a kubeconfig for the user's own kubectl. It is a simulation, not a cluster: no container
 * ever runs and no volume is ever mounted.
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
      "one-pv-failure", List.of("one-pv-failure.yaml"));

  // java.util.logging keeps loggers weakly: hold the ones we quieten.
  private static final List<java.util.logging.Logger> QUIETENED = new ArrayList<>();

  /**
   * @param port the API server's port on 127.0.0.1; 0 picks a free one
   * @param kubeconfig where to write the kubeconfig
   * @param example an entry of {@link #EXAMPLES}, or {@code none}
   * @param readyTimeout how long to wait for the operator and the example to settle
   */
  public record Options(int port, Path kubeconfig, String example, Duration readyTimeout) {
    public Options {
      if (!"none".equals(example) && !EXAMPLES.containsKey(example)) {
        throw new IllegalArgumentException("unknown example '" + example + "'; known: " + EXAMPLES.keySet() + " or none");
      }
    }

    public static Options defaults() {
      return new Options(6443, Path.of("sandbox.kubeconfig"), "web", Duration.ofSeconds(30));
    }

    public Options withPort(int p) {
      return new Options(p, kubeconfig, example, readyTimeout);
    }

    public Options withKubeconfig(Path k) {
      return new Options(port, k, example, readyTimeout);
    }

    public Options withExample(String e) {
      return new Options(port, kubeconfig, e, readyTimeout);
    }
  }

  private final EmbeddedApiServer server;
  private final WatchStreamingFront front;
  private final KubeletSimulator kubelet;
  private final OrdinalOperator operator;
  private final Path kubeconfig;

  private Sandbox(EmbeddedApiServer server, WatchStreamingFront front, KubeletSimulator kubelet, OrdinalOperator operator,
      Path kubeconfig) {
    this.server = server;
    this.front = front;
    this.kubelet = kubelet;
    this.operator = operator;
    this.kubeconfig = kubeconfig;
  }

  /** Starts everything and returns once the operator is ready and the example's claims are Bound. */
  public static Sandbox start(Options options) {
    quietenMockServerLogs();
    long t0 = System.nanoTime();
    // Compiling the CEL rules takes a while: do it while the server starts.
    var crdAndAdmission = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      CustomResourceDefinition crd = loadCrd();
      return Map.entry(crd, admission(crd));
    });
    EmbeddedApiServer server = EmbeddedApiServer.start(0);
    log.debug("API server up after {} ms", (System.nanoTime() - t0) / 1_000_000);
    KubeletSimulator kubelet = null;
    OrdinalOperator operator = null;
    WatchStreamingFront front = null;
    try {
      front = WatchStreamingFront.start(server, options.port());
      CustomResourceDefinition crd = crdAndAdmission.join().getKey();
      server.setAdmissionValidator(crdAndAdmission.join().getValue());
      log.debug("admission compiled after {} ms", (System.nanoTime() - t0) / 1_000_000);
      server.installCrd(crd);
      kubelet = new KubeletSimulator(server.client(), KubeletSimulator.NODE_NAME, Instant::now).start();
      operator = OrdinalOperator.create(server.client(), OperatorConfig.local(Set.of()), new SimpleMeterRegistry(),
          Instant::now);
      operator.start();
      Path kubeconfig = KubeconfigWriter.write(options.kubeconfig().toAbsolutePath(), front.url());
      Sandbox sandbox = new Sandbox(server, front, kubelet, operator, kubeconfig);
      sandbox.awaitOperatorReady(options.readyTimeout());
      log.debug("operator ready after {} ms", (System.nanoTime() - t0) / 1_000_000);
      if (!"none".equals(options.example())) {
        sandbox.applyExample(options.example(), options.readyTimeout());
        log.debug("example {} settled after {} ms", options.example(), (System.nanoTime() - t0) / 1_000_000);
      }
      return sandbox;
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + options.port() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (front != null) {
        front.close();
      }
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

  /** The URL kubectl uses (the kubeconfig's server). */
  public String url() {
    return front.url();
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
    try (InputStream in = openExample(fileName)) {
      List<HasMetadata> applied = new ArrayList<>();
      for (HasMetadata item : client().load(in).items()) {
        applied.add(client().resource(item).inNamespace(namespaceOf(item)).createOr(r -> r.update()));
      }
      return applied;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String namespaceOf(HasMetadata item) {
    String ns = item.getMetadata().getNamespace();
    return ns == null ? "default" : ns;
  }

  /** Applies an example's files and waits until the claims of its sets are Bound (where they can be). */
  public void applyExample(String name, Duration timeout) {
    List<String> files = EXAMPLES.get(name);
    if (files == null) {
      throw new IllegalArgumentException("unknown example " + name);
    }
    List<HasMetadata> applied = new ArrayList<>();
    files.forEach(f -> applied.addAll(applyResource(f)));
    if ("web".equals(name)) {
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
    front.close();
    server.close();
  }
}
