package dev.ordinal.sandbox.controlplane;

import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real control plane's binaries are: kube-api-test's layout
 * {@code DIR/k8s/VERSION-linux-amd64/{etcd,kube-apiserver,kube-controller-manager,kubectl}}.
 * {@code DIR} is {@code KUBE_API_TEST_DIR} (or the system property {@code ordinal.kubeapitest.dir}),
 * else kube-api-test's own cache {@code ~/.kubeapitest}; the version is pinned (so CI never
 * depends on the network) unless {@code KUBE_API_TEST_API_SERVER_VERSION} says otherwise.
 */
public record ControlPlaneBinaries(Path dir, String version) {
  public static final String PINNED_VERSION = "1.32.13";
  public static final String INSTALL_HINT =
      "unpack them with ../shared/kube-api-test/install.sh DIR and set KUBE_API_TEST_DIR=DIR";

  public static ControlPlaneBinaries fromEnvironment() {
    String dir = firstNonBlank(System.getProperty("ordinal.kubeapitest.dir"), System.getenv("KUBE_API_TEST_DIR"),
        Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).toString());
    String version = firstNonBlank(System.getenv("KUBE_API_TEST_API_SERVER_VERSION"), PINNED_VERSION);
    return new ControlPlaneBinaries(Path.of(dir).toAbsolutePath(), version);
  }

  public Path binDir() {
    return dir.resolve("k8s").resolve(version + "-linux-amd64");
  }

  public Path controllerManager() {
    return binDir().resolve("kube-controller-manager");
  }

  /** True when etcd and kube-apiserver are already unpacked here: then nothing is downloaded. */
  public boolean serverBinariesPresent() {
    return Files.isExecutable(binDir().resolve("kube-apiserver")) && Files.isExecutable(binDir().resolve("etcd"));
  }

  /**
   * True when a control plane can be started here: kube-controller-manager is present (kube-api-test
   * never downloads it), and so are etcd and kube-apiserver, or kube-api-test may still download
   * those two on a connected machine ({@link ControlPlane#start} says so if it cannot).
   */
  public boolean controllerManagerPresent() {
    return Files.isExecutable(controllerManager());
  }

  /**
   * kube-api-test's configuration: offline when the binaries are here, else allowed to download
   * (a connected machine gets etcd and kube-apiserver, though never kube-controller-manager).
   */
  KubeAPIServerConfig kubeApiTestConfig() {
    // Boolean and integer settings only in code: kube-api-test 7.5.2 crashes on them from the environment.
    return KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(dir.toString())
        .withApiServerVersion(version)
        .withOfflineMode(serverBinariesPresent())
        .withUpdateKubeConfig(false)
        .withWaitForEtcdHealthCheckOnStartup(true)
        .withStartupTimeout(60_000)
        .build();
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    throw new IllegalStateException("no value");
  }
}
