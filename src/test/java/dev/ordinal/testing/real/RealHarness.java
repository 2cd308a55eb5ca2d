package dev.ordinal.testing.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.KubeletSimulator;
import dev.ordinal.sandbox.controlplane.ControlPlane;
import dev.ordinal.sandbox.cluster.VolumeResizer;
import dev.ordinal.testing.Harness;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real operator on a real control plane ({@link SharedControlPlane}): kube-apiserver judges
 * every request, the cluster's PV binder and garbage collector run beside the operator, and the
 * operator authenticates as the chart's ServiceAccount, so a request our RBAC does not grant fails
 * the test ({@link ForbiddenRequests}). The kubelet simulator plays the nodes and the volume resizer
 * plays the CSI external resizer (neither exists in a control plane); nothing else is played.
 *
 * <p>One operator per test class (register as a static field), a namespace per test.
 */
public final class RealHarness implements Harness, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private ControlPlane plane;
  private KubernetesClient admin;
  private KubernetesClient operatorClient;
  private final ForbiddenRequests forbidden = new ForbiddenRequests();
  private OrdinalOperator operator;
  private KubeletSimulator kubelet;
  private VolumeResizer resizer;
  private SimpleMeterRegistry registry;
  private String namespace;
  private final List<String> namespaces = new ArrayList<>();
  private boolean startOperator = true;

  /** A harness whose operator the test starts itself (restart and leader-election tests). */
  public static RealHarness withoutOperator() {
    RealHarness h = new RealHarness();
    h.startOperator = false;
    return h;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      plane = SharedControlPlane.get();
    } catch (ControlPlane.Unavailable e) {
      if (SharedControlPlane.required()) {
        throw new IllegalStateException("the real control-plane tier is required here (ORDINAL_REAL_TIER=required) but: "
            + e.getMessage(), e);
      }
      System.out.println("[real tier] skipped " + context.getDisplayName() + ": " + e.getMessage());
      Assumptions.abort("no real control plane: " + e.getMessage());
    }
    admin = plane.adminClient();
    kubelet = new KubeletSimulator(admin, KubeletSimulator.NODE_NAME, Instant::now).start();
    resizer = new VolumeResizer(admin).start();
    if (startOperator) {
      startOperator();
    }
  }

  /** The operator as the chart's ServiceAccount, watching all namespaces, with the mock tier's progress deadline. */
  public OrdinalOperator startOperator() {
    return startOperator(defaultConfig());
  }

  /** All namespaces, no leader election, the mock tier's short progress deadline. */
  public static OperatorConfig defaultConfig() {
    return OperatorConfig.local(Set.of()).withProgressDeadline(OperatorHarness.PROGRESS_DEADLINE);
  }

  public OrdinalOperator startOperator(OperatorConfig config) {
    return startOperator(config, b -> {});
  }

  /** The operator on a new client of the chart's ServiceAccount, customized (e.g. a request recorder). */
  public OrdinalOperator startOperator(OperatorConfig config, Consumer<KubernetesClientBuilder> customizer) {
    return startOperator(config, customizer, () -> {
      throw new IllegalStateException("the operator lost its Lease without being stopped (it would exit in a pod)");
    });
  }

  /** As {@link #startOperator(OperatorConfig, Consumer)}; {@code onLeaseLost} runs where a pod's process would exit. */
  public OrdinalOperator startOperator(OperatorConfig config, Consumer<KubernetesClientBuilder> customizer, Runnable onLeaseLost) {
    if (operatorClient != null) {
      operatorClient.close();
    }
    operatorClient = newOperatorClient(customizer);
    registry = new SimpleMeterRegistry();
    operator = OrdinalOperator.create(operatorClient, config, registry, Instant::now, onLeaseLost);
    operator.start();
    return operator;
  }

  /** A new client authenticated as the chart's ServiceAccount, whose 403s are recorded (and fail the test). */
  public KubernetesClient newOperatorClient(Consumer<KubernetesClientBuilder> customizer) {
    return newClientWithToken(SharedControlPlane.serviceAccountToken(admin), customizer);
  }

  /** A client with this bearer token (some ServiceAccount's), whose 403s are recorded (and fail the test). */
  public KubernetesClient newClientWithToken(String token, Consumer<KubernetesClientBuilder> customizer) {
    Config config = plane.tokenConfig(token);
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    forbidden.install(builder);
    customizer.accept(builder);
    return builder.build();
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String method = context.getRequiredTestMethod().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
    namespace = "r" + NAMESPACES.incrementAndGet() + "-" + method.substring(0, Math.min(20, method.length()));
    SharedControlPlane.ensureNamespace(admin, namespace);
    namespaces.add(namespace);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> denied = forbidden.drain();
    assertThat(denied).as("requests the API server forbade the chart's ServiceAccount (fix the ClusterRole)").isEmpty();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopOperator();
    if (kubelet != null) {
      kubelet.close();
    }
    if (resizer != null) {
      resizer.close();
    }
    if (admin != null) {
      // The namespace controller and the garbage collector clear up after us, as in a cluster.
      for (String ns : namespaces) {
        SharedControlPlane.retireNamespace(admin, ns);
      }
      admin.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
  }

  @Override
  public KubernetesClient client() {
    return admin;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public KubeletSimulator kubelet() {
    return kubelet;
  }

  @Override
  public boolean isReal() {
    return true;
  }

  public ControlPlane controlPlane() {
    return plane;
  }

  public OrdinalOperator operator() {
    return operator;
  }

  public SimpleMeterRegistry registry() {
    return registry;
  }

  public ForbiddenRequests forbidden() {
    return forbidden;
  }
}
