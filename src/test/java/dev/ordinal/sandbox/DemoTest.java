package dev.ordinal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.testing.real.RealTier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The demo, in-process, on both backends: every step of the walkthrough holds (the OrdinalSet's and
 * the StatefulSet storage mode's, whose pods come from kube-controller-manager on the real backend
 * and from the sandbox's StatefulSet controller on the mock), so the exit code is 0. The real backend's run is skipped, with the reason printed, where no control plane can be had
 * (and fails instead when ORDINAL_REAL_TIER=required).
 */
class DemoTest {

  @Test
  void everyStepOfTheWalkthroughHoldsOnTheMock() throws Exception {
    assertEveryStepHolds(Sandbox.Backend.MOCK);
  }

  @Test
  void everyStepOfTheWalkthroughHoldsOnARealControlPlane() throws Exception {
    RealTier.assumeAvailable("DemoTest on the real backend");
    assertEveryStepHolds(Sandbox.Backend.REAL);
  }

  private static void assertEveryStepHolds(Sandbox.Backend backend) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      exit = Demo.runInOwnSandbox(out, backend);
    }
    String output = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(exit).as(output).isZero();
    assertThat(output)
        .contains(backend == Sandbox.Backend.REAL ? "(a real control plane" : "(the embedded fabric8 mock")
        .contains("--- PASS: 1. Create")
        .contains("--- PASS: 2. Delete the pods")
        .contains("--- PASS: 3. Scale 2 -> 5 -> 2")
        .contains("--- PASS: 4. Image change with partition 2")
        .contains("--- PASS: 5. One PV for two replicas")
        .contains("--- PASS: 6. A StatefulSet in storage mode")
        .contains("--- PASS: 7. Grow the StatefulSet's claims to 2Gi")
        .contains("www-web-0   Bound    pv-1g-a");
  }
}
