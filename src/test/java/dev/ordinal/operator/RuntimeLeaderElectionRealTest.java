package dev.ordinal.operator;

import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Harness;
import dev.ordinal.testing.real.RealHarness;
import dev.ordinal.testing.real.SharedControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RuntimeLeaderElectionScenarios} on a real Lease: both operators authenticate as the
 * chart's ServiceAccount, so the Lease lives where the chart's leader-election Role grants it.
 */
class RuntimeLeaderElectionRealTest extends RuntimeLeaderElectionScenarios {
  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  @Override
  protected Harness harness() {
    return harness;
  }

  @Override
  protected KubernetesClient operatorClient(Consumer<KubernetesClientBuilder> customizer) {
    return harness.newOperatorClient(customizer);
  }

  @Override
  protected String leaseNamespace(Cluster c) {
    return SharedControlPlane.OPERATOR_NAMESPACE;
  }
}
