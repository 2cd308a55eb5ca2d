package dev.ordinal.operator;

import dev.ordinal.testing.Harness;
import dev.ordinal.testing.OperatorHarness;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RollingUpdateScenarios} on the fabric8 mock API server. */
class RollingUpdateMockTest extends RollingUpdateScenarios {
  @RegisterExtension
  static final OperatorHarness harness = new OperatorHarness();

  @Override
  protected Harness harness() {
    return harness;
  }
}
