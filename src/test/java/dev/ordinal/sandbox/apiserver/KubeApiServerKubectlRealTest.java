package dev.ordinal.sandbox.apiserver;

import dev.ordinal.sandbox.KubeletSimulator;
import dev.ordinal.sandbox.controlplane.ControlPlane;
import dev.ordinal.sandbox.controlplane.ControlPlaneBinaries;
import dev.ordinal.testing.real.RealTier;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@link ApiServerKubectlTest} against a real kube-apiserver (a control plane of its own, no
 * operator): the expectations the embedded API server is held to are what kubectl sees from the
 * real one. The kubelet simulator confirms graceful pod deletions, as a kubelet would. Skipped,
 * saying why, where no control plane can be had; failed instead when ORDINAL_REAL_TIER=required.
 */
class KubeApiServerKubectlRealTest extends ApiServerKubectlTest {
  private ControlPlane plane;
  private KubernetesClient admin;
  private KubeletSimulator kubelet;

  @Override
  void startServer(Path kubeconfig, Path workDir) throws Exception {
    RealTier.assumeAvailable("KubeApiServerKubectlRealTest");
    plane = ControlPlane.start(workDir.resolve("control-plane"), ControlPlaneBinaries.fromEnvironment(), 0);
    admin = plane.adminClient();
    kubelet = new KubeletSimulator(admin, "node-a", Instant::now).start();
    KubeconfigWriter.writeTls(kubeconfig, plane.masterUrl(), Files.readAllBytes(plane.apiServerCertificate()),
        Files.readAllBytes(plane.clientCertificate()), Files.readAllBytes(plane.clientKey()));
  }

  @Override
  void stopServer() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (plane != null) {
      plane.close();
    }
  }
}
