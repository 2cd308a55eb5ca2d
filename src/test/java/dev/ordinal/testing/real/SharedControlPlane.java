package dev.ordinal.testing.real;

import dev.ordinal.deploy.Chart;
import dev.ordinal.sandbox.controlplane.ControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * One real control plane for the whole test JVM (starting one costs seconds and ~400 MB), with
 * what every real-tier test needs already installed: the CRD from crds/, and the chart's RBAC
 * (ServiceAccount, ClusterRole, leader-election Role, bindings) rendered by Helm, so the operator
 * under test runs with exactly the permissions we ship.
 *
 * <p>Where no control plane can be had, {@link #get()} throws {@link ControlPlane.Unavailable} with
 * the reason, and the tier's tests are skipped with it, unless {@code ORDINAL_REAL_TIER=required}
 * (set by .ci/run) turns that into a failure.
 */
public final class SharedControlPlane {
  /** The chart's ServiceAccount: what the operator authenticates as. */
  public static final String SERVICE_ACCOUNT = Chart.RELEASE;
  public static final String OPERATOR_NAMESPACE = Chart.NAMESPACE;
  private static final Set<String> RBAC_KINDS = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  private static final Set<String> RETIRED = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static ControlPlane plane;
  private static RuntimeException failure;

  private SharedControlPlane() {}

  public static synchronized ControlPlane get() {
    if (failure != null) {
      throw failure;
    }
    if (plane == null) {
      try {
        ControlPlane started = ControlPlane.start(Path.of("target", "real-tier").toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
        try (KubernetesClient admin = started.adminClient()) {
          installCrd(admin, Path.of("crds", "ordinalsets.ordinal.dev-v1.yml"));
          installChartRbac(admin);
        }
        plane = started;
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
    return plane;
  }

  /** Whether a missing control plane fails the tier instead of skipping it (CI here has the binaries). */
  public static boolean required() {
    return "required".equalsIgnoreCase(System.getenv("ORDINAL_REAL_TIER"))
        || "required".equalsIgnoreCase(System.getProperty("ordinal.realTier"));
  }

  public static CustomResourceDefinition installCrd(KubernetesClient admin, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
      admin.resource(crd).createOr(existing -> existing.update());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
        var c = admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get();
        return c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus()));
      });
      return crd;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Applies the RBAC objects of `helm template` with default values (cluster scope, leader election on). */
  static void installChartRbac(KubernetesClient admin) {
    ensureNamespace(admin, OPERATOR_NAMESPACE);
    for (Chart.Document doc : Chart.template(List.of(), Map.of())) {
      if (RBAC_KINDS.contains(doc.kind())) {
        HasMetadata object = admin.getKubernetesSerialization().unmarshal(doc.yaml());
        admin.resource(object).inNamespace(doc.namespace() == null ? OPERATOR_NAMESPACE : doc.namespace())
            .createOr(existing -> existing.update());
      }
    }
  }

  /** A fresh token of the chart's ServiceAccount, from the TokenRequest API. */
  public static String serviceAccountToken(KubernetesClient admin) {
    var request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L).endSpec().build();
    return admin.serviceAccounts().inNamespace(OPERATOR_NAMESPACE).withName(SERVICE_ACCOUNT).tokenRequest(request)
        .getStatus().getToken();
  }

  /** Deletes a finished test's namespace; the namespace controller and the garbage collector clear it up. */
  public static void retireNamespace(KubernetesClient admin, String name) {
    RETIRED.add(name);
    admin.namespaces().withName(name).delete();
  }

  static Set<String> retiredNamespaces() {
    return RETIRED;
  }

  public static void ensureNamespace(KubernetesClient admin, String name) {
    try {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
