package dev.ordinal.testing;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.KubeletSimulator;
import dev.ordinal.sandbox.cluster.PersistentVolumeController;
import dev.ordinal.sandbox.cluster.VolumeResizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.util.function.Consumer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real operator against the fabric8 mock API server (CRUD mode), plus a kubelet simulator.
 * One server and operator per test class (register as a static field); each test gets its own
 * namespace from {@link #namespace()}, so tests in a class do not see each other's objects.
 */
public final class OperatorHarness implements Harness, BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  public static final Path CRD_FILE = Path.of("crds", "ordinalsets.ordinal.dev-v1.yml");
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  /** Short, so that tests see a stuck pod reported within seconds. */
  public static final java.time.Duration PROGRESS_DEADLINE = java.time.Duration.ofSeconds(4);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private OrdinalOperator operator;
  private KubeletSimulator kubelet;
  private PersistentVolumeController pvController;
  private VolumeResizer resizer;
  private SimpleMeterRegistry registry;
  private String namespace;
  private boolean startOperator = true;
  private boolean answerAccessReviews;
  private java.util.function.UnaryOperator<Dispatcher> dispatcherWrapper = d -> d;

  /** A harness whose operator the test starts itself (for restart and startup tests). */
  public static OperatorHarness withoutOperator() {
    OperatorHarness h = new OperatorHarness();
    h.startOperator = false;
    return h;
  }

  /**
   * Also answer SelfSubjectRulesReviews (which the CRUD mock would only store) with the Lease rule
   * the chart grants: JOSDK's leader election checks it before it starts.
   */
  public OperatorHarness answeringAccessReviews() {
    answerAccessReviews = true;
    return this;
  }

  /** Wraps the mock server's dispatcher (outermost), e.g. to inject API faults into some requests. */
  public OperatorHarness wrappingDispatcher(java.util.function.UnaryOperator<Dispatcher> wrapper) {
    dispatcherWrapper = wrapper;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Dispatcher dispatcher = new DeletePreconditionsDispatcher(new KubernetesCrudDispatcher());
    if (answerAccessReviews) {
      dispatcher = new AccessReviewDispatcher(dispatcher);
    }
    dispatcher = dispatcherWrapper.apply(dispatcher);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    installCrd(client);
    kubelet = new KubeletSimulator(client, KubeletSimulator.NODE_NAME, Instant::now).start();
    // The cluster's own controllers the operator relies on: PV phases and volume expansion.
    pvController = new PersistentVolumeController(client);
    pvController.start();
    resizer = new VolumeResizer(client).start();
    if (startOperator) {
      startOperator();
    }
  }

  public static void installCrd(KubernetesClient client) throws Exception {
    try (InputStream in = Files.newInputStream(CRD_FILE)) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).create();
    }
  }

  public OrdinalOperator startOperator() {
    registry = new SimpleMeterRegistry();
    operator = OrdinalOperator.create(client, OperatorConfig.local(Set.of()).withProgressDeadline(PROGRESS_DEADLINE), registry, Instant::now);
    operator.start();
    return operator;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    namespace = "t" + NAMESPACES.incrementAndGet() + "-" + context.getRequiredTestMethod().getName().toLowerCase().replaceAll("[^a-z0-9]", "").substring(0, Math.min(20,
        context.getRequiredTestMethod().getName().replaceAll("[^a-zA-Z0-9]", "").length()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopOperator();
    if (kubelet != null) {
      kubelet.close();
    }
    if (pvController != null) {
      pvController.close();
    }
    if (resizer != null) {
      resizer.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public boolean isReal() {
    return false;
  }

  /** Another client of the same mock server, e.g. with an interceptor (see {@code KubernetesClientBuilder.withHttpClientBuilderConsumer}). */
  public KubernetesClient newClient(Consumer<KubernetesClientBuilder> customizer) {
    return server.createClient(customizer);
  }

  /** Requests the mock API server has answered so far (watches count once, when opened). */
  public int requestCount() {
    return server.getRequestCount();
  }

  @Override
  public KubeletSimulator kubelet() {
    return kubelet;
  }

  public SimpleMeterRegistry registry() {
    return registry;
  }

  public OrdinalOperator operator() {
    return operator;
  }

  /** This test's own namespace. */
  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public OrdinalSet set(String name) {
    return client.resources(OrdinalSet.class).inNamespace(namespace).withName(name).get();
  }
}
