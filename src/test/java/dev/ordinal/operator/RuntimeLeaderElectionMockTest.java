package dev.ordinal.operator;

import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Harness;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RuntimeLeaderElectionScenarios} on the mock, which answers the access reviews JOSDK asks first. */
class RuntimeLeaderElectionMockTest extends RuntimeLeaderElectionScenarios {
  @RegisterExtension
  static final OperatorHarness harness = OperatorHarness.withoutOperator().answeringAccessReviews();

  @Override
  protected Harness harness() {
    return harness;
  }

  @Override
  protected KubernetesClient operatorClient(Consumer<KubernetesClientBuilder> customizer) {
    return harness.newClient(customizer);
  }

  @Override
  protected String leaseNamespace(Cluster c) {
    return c.ns();
  }
}
