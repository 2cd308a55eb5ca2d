package dev.ordinal.sandbox;

/** {@link SandboxKubectlTest} on the embedded fabric8 mock. */
class SandboxKubectlMockTest extends SandboxKubectlTest {
  @Override
  Sandbox.Backend backend() {
    return Sandbox.Backend.MOCK;
  }
}
