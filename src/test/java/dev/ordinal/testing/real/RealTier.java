package dev.ordinal.testing.real;

import dev.ordinal.sandbox.Sandbox;
import dev.ordinal.sandbox.controlplane.ControlPlaneBinaries;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that start a real control plane of their own (the sandbox on its real backend): skip,
 * printing why, where no control plane can be had, or fail instead when the tier is required
 * ({@code ORDINAL_REAL_TIER=required}, set by .ci/run).
 */
public final class RealTier {
  private RealTier() {}

  public static void assumeAvailable(String what) {
    Optional<String> unavailable = Sandbox.realAvailability();
    if (unavailable.isEmpty()) {
      return;
    }
    String reason = unavailable.get() + ": " + ControlPlaneBinaries.INSTALL_HINT;
    if (SharedControlPlane.required()) {
      throw new IllegalStateException("the real control-plane tier is required here (ORDINAL_REAL_TIER=required) but: " + reason);
    }
    System.out.println("[real tier] skipped " + what + ": " + reason);
    Assumptions.abort("no real control plane: " + reason);
  }
}
