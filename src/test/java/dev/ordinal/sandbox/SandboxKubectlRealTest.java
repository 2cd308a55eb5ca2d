package dev.ordinal.sandbox;

import dev.ordinal.testing.real.RealTier;

/**
 * {@link SandboxKubectlTest} on a real control plane of its own: skipped, saying why, where none
 * can be had, and failed instead when ORDINAL_REAL_TIER=required.
 */
class SandboxKubectlRealTest extends SandboxKubectlTest {
  @Override
  Sandbox.Backend backend() {
    RealTier.assumeAvailable("SandboxKubectlRealTest");
    return Sandbox.Backend.REAL;
  }
}
