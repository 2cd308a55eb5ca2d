package dev.ordinal.sandbox.apiserver;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** {@link ApiServerKubectlTest} against the embedded API server (the fabric8 mock and our emulation). */
class EmbeddedApiServerKubectlTest extends ApiServerKubectlTest {
  private EmbeddedApiServer server;

  @Override
  void startServer(Path kubeconfig, Path workDir) {
    server = EmbeddedApiServer.start(0);
    server.setAdmissionValidator((group, version, plural, newObject, old) -> {
      Object spec = newObject.get("spec");
      Object replicas = spec instanceof Map<?, ?> m ? m.get("replicas") : null;
      return replicas instanceof Number n && n.intValue() < 0
          ? Optional.of("spec.replicas: Invalid value: " + n + ": should be greater than or equal to 0")
          : Optional.empty();
    });
    KubeconfigWriter.write(kubeconfig, server.url());
  }

  @Override
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }
}
