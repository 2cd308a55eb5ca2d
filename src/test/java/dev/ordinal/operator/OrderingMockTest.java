package dev.ordinal.operator;

import dev.ordinal.testing.Harness;
import dev.ordinal.testing.OperatorHarness;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link OrderingScenarios} on the fabric8 mock API server. */
class OrderingMockTest extends OrderingScenarios {
  @RegisterExtension
  static final OperatorHarness harness = new OperatorHarness();

  @Override
  protected Harness harness() {
    return harness;
  }
}
