package dev.ordinal.operator;

import dev.ordinal.testing.Harness;
import dev.ordinal.testing.real.RealHarness;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link OrderingScenarios} on a real control plane, the operator running as the chart's ServiceAccount. */
class OrderingRealTest extends OrderingScenarios {
  @RegisterExtension
  static final RealHarness harness = new RealHarness();

  @Override
  protected Harness harness() {
    return harness;
  }
}
