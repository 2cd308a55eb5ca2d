package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.ordinal.operator.OrdinalOperator;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.real.RealHarness;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart installed for real: helm install against a real API server (not only template), the
 * operator running as the ServiceAccount the release created, with the release's RBAC and leader
 * election on its Lease; helm uninstall then leaves the claims and volumes in place.
 */
class HelmInstallRealTest {
  static final String RELEASE = "helm-it";
  static final String RELEASE_NAMESPACE = "helm-it-system";

  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  @Test
  void chartInstallsOperatorRunsAsItsServiceAccountAndUninstallKeepsClaimsAndVolumes() throws Exception {
    KubernetesClient admin = harness.client();
    Release release = new Helm(Chart.DIR).install()
        .withName(RELEASE)
        .withNamespace(RELEASE_NAMESPACE)
        .createNamespace()
        .withKubeConfig(harness.controlPlane().adminKubeconfig())
        .call();
    assertThat(release.getStatus()).isEqualTo("deployed");
    List<ServiceAccount> accounts = admin.serviceAccounts().inNamespace(RELEASE_NAMESPACE)
        .withLabel("app.kubernetes.io/instance", RELEASE).list().getItems();
    assertThat(accounts).hasSize(1);
    String account = accounts.get(0).getMetadata().getName();
    assertThat(admin.apps().deployments().inNamespace(RELEASE_NAMESPACE).withLabel("app.kubernetes.io/instance", RELEASE).list().getItems())
        .hasSize(1);

    String token = admin.serviceAccounts().inNamespace(RELEASE_NAMESPACE).withName(account)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    Cluster c = new Cluster(harness);
    try (KubernetesClient operatorClient = harness.newClientWithToken(token, b -> {});
        OrdinalOperator operator = OrdinalOperator.create(operatorClient,
            // as the chart's Deployment configures it: all namespaces, leader election on a Lease in the release namespace
            OperatorConfig.local(Set.of()).withLeaderElection(RELEASE_NAMESPACE, OperatorConfig.DEFAULT_LEASE),
            new SimpleMeterRegistry(), Instant::now)) {
      operator.start();
      c.createPv("pv-a", "1Gi");
      c.createPv("pv-b", "1Gi");
      c.create(c.web(2));
      c.awaitBound("www-web-0", "www-web-1");
      c.awaitReady("web-0", "web-1");
      assertThat(admin.leases().inNamespace(RELEASE_NAMESPACE).withName(OperatorConfig.DEFAULT_LEASE).get()).isNotNull();
    }

    new Helm(Chart.DIR).uninstall(RELEASE).withNamespace(RELEASE_NAMESPACE)
        .withKubeConfig(harness.controlPlane().adminKubeconfig()).call();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        admin.apps().deployments().inNamespace(RELEASE_NAMESPACE).withLabel("app.kubernetes.io/instance", RELEASE).list().getItems().isEmpty());
    assertThat(admin.rbac().clusterRoles().withLabel("app.kubernetes.io/instance", RELEASE).list().getItems()).isEmpty();
    // Uninstall removes the operator, never the data: claims and volumes stay, still bound to each other.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      for (String claim : List.of("www-web-0", "www-web-1")) {
        assertThat(c.claimPhase(claim)).as(claim).isEqualTo("Bound");
      }
      assertThat(c.pv("pv-a")).isNotNull();
      assertThat(c.pv("pv-b")).isNotNull();
    });
  }
}
