package dev.ordinal.sandbox.controlplane;

import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubeapitest.kubeconfig.KubeConfig;
import io.fabric8.kubeapitest.process.EtcdProcess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on this machine: etcd and kube-apiserver through kube-api-test
 * (its binary manager, certificates and etcd process), plus kube-controller-manager from the same
 * binary folder with the cluster controllers our operator lives beside (PV binder, garbage
 * collector, namespace, PVC/PV protection, StatefulSet).
 *
 * <p>The API server is our own process (with kube-api-test's flags) so that it can be stopped and
 * started again on the same port over the same etcd: the restart tests need exactly that, and
 * kube-api-test's {@code KubeAPIServer} picks a new port and wipes etcd when its process stops.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  public static final List<String> CONTROLLERS = List.of(
      "persistentvolume-binder-controller", "garbage-collector-controller", "namespace-controller",
      "persistentvolumeclaim-protection-controller", "persistentvolume-protection-controller", "statefulset-controller");

  private final ControlPlaneBinaries binaries;
  private final KubeAPIServerConfig config;
  private final BinaryManager binaryManager;
  private final CertManager certs;
  private final EtcdProcess etcd;
  private final Path workDir;
  private final HttpClient insecure;
  private int etcdPort;
  private int apiServerPort;
  private Process apiServer;
  private Process controllerManager;
  private List<String> controllerManagerFlags = List.of();
  private volatile boolean closing;
  private Path kubeconfig;

  private ControlPlane(ControlPlaneBinaries binaries, Path workDir, int apiServerPort) {
    this.binaries = binaries;
    this.apiServerPort = apiServerPort;
    this.config = binaries.kubeApiTestConfig();
    this.binaryManager = new BinaryManager(config);
    this.certs = new CertManager(config.getKubeAPITestDir());
    this.etcd = new EtcdProcess(binaryManager, p -> reportUnexpectedStop("etcd"), true, config.getStartupTimeout());
    this.workDir = workDir;
    this.insecure = insecureHttpClient();
  }

  /**
   * Starts etcd, kube-apiserver (on a free port) and kube-controller-manager, with the binaries of
   * {@link ControlPlaneBinaries#fromEnvironment()}; throws {@link Unavailable}, saying why, when no
   * control plane can be had here (no binaries and no download).
   */
  public static ControlPlane start(Path workDir) {
    return start(workDir, ControlPlaneBinaries.fromEnvironment(), 0);
  }

  /**
   * As {@link #start(Path)}, with these binaries and the API server on this port of 127.0.0.1
   * (0 picks a free one). Process logs go to {@code workDir}.
   */
  public static ControlPlane start(Path workDir, ControlPlaneBinaries binaries, int apiServerPort) {
    if (!binaries.controllerManagerPresent()) {
      // Checked first: a download could bring etcd and kube-apiserver, but never this one.
      throw new Unavailable("no kube-controller-manager in " + binaries.binDir() + " (kube-api-test never downloads it): "
          + ControlPlaneBinaries.INSTALL_HINT);
    }
    ControlPlane plane = new ControlPlane(binaries, workDir, apiServerPort);
    try {
      plane.startAll();
      return plane;
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
  }

  private void startAll() {
    try {
      Files.createDirectories(workDir);
      binaryManager.initAndDownloadIfRequired();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new Unavailable("no control-plane binaries in " + binaries.binDir() + " and none could be downloaded ("
          + e.getMessage() + "): " + ControlPlaneBinaries.INSTALL_HINT);
    }
    if (!Files.isExecutable(binaries.controllerManager())) {
      throw new Unavailable("no kube-controller-manager in " + binaries.binDir() + " (kube-api-test never downloads it): "
          + ControlPlaneBinaries.INSTALL_HINT);
    }
    long t0 = System.nanoTime();
    certs.createCertificatesIfNeeded();
    etcdPort = etcd.startEtcd();
    if (apiServerPort == 0) {
      apiServerPort = Utils.findFreePort();
    }
    startApiServer();
    kubeconfig = workDir.resolve("admin.kubeconfig");
    write(kubeconfig, new KubeConfig(certs, binaryManager).generateKubeConfigYaml(apiServerPort));
    startControllerManager();
    log.info("control plane v{} ready in {} ms: API server https://127.0.0.1:{}, logs in {}", binaries.version(),
        (System.nanoTime() - t0) / 1_000_000, apiServerPort, workDir);
  }

  private void startApiServer() {
    List<String> command = new ArrayList<>(List.of(binaryManager.binaries().getApiServer().getAbsolutePath(),
        // kube-api-test's own flags (KubeAPIServerProcess), on a port we keep across restarts
        "--cert-dir", config.getKubeAPITestDir(),
        "--secure-port", String.valueOf(apiServerPort),
        "--etcd-servers", "http://127.0.0.1:" + etcdPort,
        "--authorization-mode", "RBAC",
        "--service-account-issuer", "https://localhost",
        "--service-account-signing-key-file", certs.getAPIServerKeyPath(),
        "--service-account-key-file", certs.getAPIServerKeyPath(),
        "--disable-admission-plugins", "ServiceAccount",
        "--client-ca-file", certs.getClientCertPath(),
        "--service-cluster-ip-range", "10.0.0.0/24",
        "--allow-privileged"));
    command.addAll(config.getApiServerFlags());
    apiServer = launch(command, "kube-apiserver");
    awaitHealthy("kube-apiserver", apiServerPort, "/readyz", apiServer, Duration.ofSeconds(90));
  }

  private void startControllerManager() {
    int port = Utils.findFreePort();
    String kc = kubeconfig.toString();
    List<String> command = new ArrayList<>(List.of(binaries.controllerManager().toString(),
        "--kubeconfig=" + kc, "--authentication-kubeconfig=" + kc, "--authorization-kubeconfig=" + kc,
        "--leader-elect=false", "--use-service-account-credentials=false",
        "--controllers=" + String.join(",", CONTROLLERS),
        // etcd 3.4 has no watch progress requests: without this every informer start logs a fallback
        "--feature-gates=WatchListClient=false",
        "--bind-address=127.0.0.1", "--secure-port=" + port));
    command.addAll(controllerManagerFlags);
    controllerManager = launch(command, "kube-controller-manager");
    awaitHealthy("kube-controller-manager", port, "/healthz", controllerManager, Duration.ofSeconds(60));
  }

  private Process launch(List<String> command, String name) {
    try {
      Path logFile = workDir.resolve(name + ".log");
      return new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  private void awaitHealthy(String name, int port, String path, Process process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri = URI.create("https://127.0.0.1:" + port + path);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + workDir.resolve(name + ".log"));
      }
      try {
        HttpResponse<String> r = insecure.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException(name + " not healthy at " + uri + " within " + timeout + "; see " + workDir.resolve(name + ".log"));
  }

  /** Stops kube-apiserver (etcd and the controller-manager keep running) and starts it again after {@code down}. */
  public void restartApiServer(Duration down) {
    stopApiServer();
    sleep(down);
    startApiServer();
  }

  public void stopApiServer() {
    stop(apiServer);
  }

  public void startApiServerAgain() {
    startApiServer();
  }

  /**
   * Stops kube-controller-manager and starts it again with these flags added (for instance
   * {@code --kube-api-qps=1000}: a benchmark that compares with the cluster's own StatefulSet
   * controller at a given client rate). The flags stay for later restarts.
   */
  public void restartControllerManager(List<String> extraFlags) {
    stop(controllerManager);
    controllerManagerFlags = List.copyOf(extraFlags);
    startControllerManager();
  }

  /** The binaries this control plane runs. */
  public ControlPlaneBinaries binaries() {
    return binaries;
  }

  /** The API server's serving certificate (self-signed: also the kubeconfig's certificate authority). */
  public Path apiServerCertificate() {
    return Path.of(certs.getAPIServerCertPath());
  }

  /** The admin's client certificate and key (kube-api-test's, in system:masters). */
  public Path clientCertificate() {
    return Path.of(certs.getClientCertPath());
  }

  public Path clientKey() {
    return Path.of(certs.getClientKeyPath());
  }

  /** The kubeconfig of the cluster admin (kube-api-test's client certificate in system:masters). */
  public Path adminKubeconfig() {
    return kubeconfig;
  }

  public Config adminConfig() {
    return Config.fromKubeconfig(read(kubeconfig));
  }

  public KubernetesClient adminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /** A client that authenticates with a bearer token (a ServiceAccount's) and trusts this API server. */
  public Config tokenConfig(String token) {
    Config config = adminConfig();
    config.setClientCertFile(null);
    config.setClientCertData(null);
    config.setClientKeyFile(null);
    config.setClientKeyData(null);
    config.setOauthToken(token);
    return config;
  }

  public String masterUrl() {
    return "https://127.0.0.1:" + apiServerPort;
  }

  public String version() {
    return binaries.version();
  }

  public Path workDir() {
    return workDir;
  }

  @Override
  public void close() {
    closing = true;
    stop(controllerManager);
    stop(apiServer);
    try {
      etcd.stopEtcd();
      etcd.cleanEtcdData();
    } catch (RuntimeException e) {
      log.debug("etcd cleanup: {}", e.getMessage());
    }
  }

  private static void stop(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Logs a process that stopped on its own, unless the control plane is being closed: Ctrl-C in a
   * terminal signals the whole process group, so etcd may stop a moment before {@link #close()}
   * runs in the JVM's shutdown hook. Judged after a short grace period for that reason.
   */
  private void reportUnexpectedStop(String name) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
      if (!closing) {
        log.error("{} exited unexpectedly; see {}", name, workDir);
      }
    }, "control-plane-watch");
    t.setDaemon(true);
    t.start();
  }

  /** Thrown when no control plane can be had on this machine; the message says why and what to do. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String reason) {
      super(reason);
    }
  }

  private static HttpClient insecureHttpClient() {
    // Only for health probes of our own local processes, whose serving certificates are self-signed.
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {new X509TrustManager() {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
      }}, new SecureRandom());
      return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path p, String s) {
    try {
      Files.writeString(p, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Optional<String> unavailableReason(RuntimeException e) {
    return e instanceof Unavailable ? Optional.of(e.getMessage()) : Optional.empty();
  }
}
