package dev.ordinal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo, in-process: every step of the walkthrough holds, so the exit code is 0. */
class DemoTest {

  @Test
  void everyStepOfTheWalkthroughHolds() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      exit = Demo.runInOwnSandbox(out);
    }
    String output = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(exit).as(output).isZero();
    assertThat(output)
        .contains("--- PASS: 1. Create")
        .contains("--- PASS: 2. Delete the pods")
        .contains("--- PASS: 3. Scale 2 -> 5 -> 2")
        .contains("--- PASS: 4. Image change with partition 2")
        .contains("--- PASS: 5. One PV for two replicas")
        .contains("www-web-0   Bound    pv-1g-a");
  }
}
