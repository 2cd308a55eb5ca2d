package dev.ordinal.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drives the real, unmodified kubectl on the PATH against an API server: the embedded one
 * ({@link EmbeddedApiServerKubectlTest}) and kube-apiserver itself ({@link KubeApiServerKubectlRealTest}),
 * with the same expectations, so what the mock emulates is held to what the real one does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiServerKubectlTest {

  record Result(int exit, String out, String err) {
  }

  private Path dir;
  private Path kubeconfig;

  /** Starts the API server and writes a kubeconfig for it into {@code file}. */
  abstract void startServer(Path file, Path workDir) throws Exception;

  abstract void stopServer();

  @BeforeAll
  void start() throws Exception {
    Optional<String> kubectl = findOnPath("kubectl");
    Assumptions.assumeTrue(kubectl.isPresent(), () -> {
      System.out.println("skipping kubectl tests: no kubectl on the PATH");
      return "kubectl is not on the PATH";
    });
    dir = Files.createTempDirectory("apiserver-kubectl");
    kubeconfig = dir.resolve("kubeconfig");
    startServer(kubeconfig, dir);
  }

  @AfterAll
  void stop() throws IOException {
    stopServer();
    if (dir != null) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Optional<String> findOnPath(String binary) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, binary);
      if (Files.isExecutable(p)) {
        return Optional.of(p.toString());
      }
    }
    return Optional.empty();
  }

  private Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--request-timeout=10s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOME", dir.toString());
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Result ok(String... args) throws IOException, InterruptedException {
    Result r = kubectl(args);
    assertThat(r.exit()).as("kubectl %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err())
        .isZero();
    return r;
  }

  private Path file(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private static String manifests(int servicePort, String pvSize) {
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels: {app: nginx}
        spec:
          clusterIP: None
          selector: {app: nginx}
          ports:
          - name: http
            port: %d
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: pv-a
        spec:
          capacity: {storage: %s}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          storageClassName: standard
          hostPath: {path: /tmp/pv-a}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: pv-b
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Delete
          storageClassName: standard
          hostPath: {path: /tmp/pv-b}
        ---
        apiVersion: ordinal.dev/v1alpha1
        kind: OrdinalSet
        metadata:
          name: web
        spec:
          replicas: 2
          serviceName: web
          selector:
            matchLabels: {app: nginx}
          template:
            metadata:
              labels: {app: nginx}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
        """.formatted(servicePort, pvSize);
  }

  @Test
  @Order(1)
  void appliesCrdAndObjectsAndShowsThemInDiscovery() throws Exception {
    assertThat(ok("apply", "-f", Path.of("crds/ordinalsets.ordinal.dev-v1.yml").toAbsolutePath().toString()).out())
        .contains("customresourcedefinition.apiextensions.k8s.io/ordinalsets.ordinal.dev created");

    // a real API server serves a new CRD's resources once it is Established: ask until it does
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ok("api-resources").out()).contains("ordinalsets "));
    String resources = ok("api-resources").out();
    assertThat(resources.lines().filter(l -> l.startsWith("ordinalsets ")).findFirst()).get().asString()
        .contains("ords", "ordinal.dev/v1alpha1", "true", "OrdinalSet");
    assertThat(resources).contains("persistentvolumeclaims", "pvc", "storageclasses");

    String applied = ok("apply", "-f", file("objs.yaml", manifests(80, "1Gi")).toString()).out();
    assertThat(applied).contains("service/web created", "persistentvolume/pv-a created",
        "ordinalset.ordinal.dev/web created");

    // a changed built-in object goes through strategic merge patch
    String reapplied = ok("apply", "-f", file("objs2.yaml", manifests(8080, "2Gi")).toString()).out();
    assertThat(reapplied).contains("service/web configured", "persistentvolume/pv-a configured",
        "ordinalset.ordinal.dev/web unchanged");
    assertThat(ok("get", "svc", "web", "-o", "jsonpath={.spec.ports[*].port}").out()).isEqualTo("8080");
    assertThat(ok("get", "pv", "pv-a", "-o", "jsonpath={.spec.capacity.storage}").out()).isEqualTo("2Gi");
  }

  @Test
  @Order(2)
  void printsTablesLikeACluster() throws Exception {
    ok("apply", "-f", file("pvc.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data-web-0, labels: {app: nginx}}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: standard
          resources: {requests: {storage: 1Gi}}
        """).toString());
    String pvc = ok("get", "pvc").out();
    assertThat(pvc.lines().findFirst()).get().asString()
        .contains("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE");
    assertThat(pvc).contains("data-web-0", "standard");

    String sets = ok("get", "ordinalsets").out();
    assertThat(sets.lines().findFirst()).get().asString().contains("NAME", "DESIRED", "READY", "UPDATED", "BOUND",
        "AGE");
    assertThat(sets).contains("web");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(ok("get", "pv").out()).containsPattern("pv-a\\s+2Gi\\s+RWO\\s+Retain\\s+Available"));
    assertThat(ok("get", "ords", "web", "-o", "yaml").out()).contains("kind: OrdinalSet", "replicas: 2");
  }

  @Test
  @Order(3)
  void scalesAndPatchesTheOrdinalSet() throws Exception {
    assertThat(ok("scale", "ordinalset", "web", "--replicas=5").out()).contains("ordinalset.ordinal.dev/web scaled");
    assertThat(ok("get", "ordinalset", "web", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("5");

    ok("patch", "ordinalset", "web", "--type", "merge", "-p", "{\"spec\":{\"replicas\":3}}");
    assertThat(ok("get", "ords", "web", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");
    ok("patch", "ords", "web", "--type", "json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]");
    assertThat(ok("get", "ords", "web", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("4");
    // kubectl patch's default type is strategic: a built-in object
    ok("patch", "svc", "web", "-p", "{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}");
    assertThat(ok("get", "svc", "-l", "tier=db", "-o", "name").out().trim()).isEqualTo("service/web");
  }

  @Test
  @Order(4)
  void rejectsInvalidObjectsWithTheValidatorsMessage() throws Exception {
    Result r = kubectl("patch", "ords", "web", "--type", "merge", "-p", "{\"spec\":{\"replicas\":-1}}");
    assertThat(r.exit()).isNotZero();
    // kube-apiserver says "spec.replicas in body should be ..." and adds the CRD's CEL rule as a second cause
    assertThat(r.err()).contains("The OrdinalSet \"web\" is invalid: ").contains("spec.replicas: Invalid value: -1: ")
        .contains("should be greater than or equal to 0");
  }

  @Test
  @Order(5)
  void selectsDeletesAndDescribes() throws Exception {
    ok("apply", "-f", file("pods.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: nginx-0, labels: {app: nginx}}
        spec: {nodeName: node-a, containers: [{name: nginx, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: other, labels: {app: other}}
        spec: {containers: [{name: c, image: busybox}]}
        """).toString());
    String selected = ok("get", "pods", "-l", "app in (nginx)").out();
    assertThat(selected).contains("nginx-0").doesNotContain("other");
    assertThat(selected.lines().findFirst()).get().asString().contains("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(ok("get", "pods", "-o", "wide").out()).contains("NODE", "node-a");

    String uid = ok("get", "pvc", "data-web-0", "-o", "jsonpath={.metadata.uid}").out();
    ok("apply", "-f", file("event.yaml", """
        apiVersion: v1
        kind: Event
        metadata: {name: data-web-0.1}
        involvedObject: {kind: PersistentVolumeClaim, name: data-web-0, namespace: default, uid: "%s"}
        type: Warning
        reason: ProvisioningFailed
        message: no volume matches the claim
        lastTimestamp: "2026-01-01T00:00:00Z"
        firstTimestamp: "2026-01-01T00:00:00Z"
        count: 1
        source: {component: ordinal-operator}
        """.formatted(uid)).toString());
    String events = ok("get", "events").out();
    assertThat(events.lines().findFirst()).get().asString().contains("LAST SEEN", "TYPE", "REASON", "OBJECT",
        "MESSAGE");
    assertThat(events).contains("persistentvolumeclaim/data-web-0", "ProvisioningFailed",
        "no volume matches the claim");

    String described = ok("describe", "pvc", "data-web-0").out();
    assertThat(described).contains("Name:", "data-web-0", "StorageClass:", "standard", "ProvisioningFailed");
    assertThat(ok("describe", "ordinalset", "web").out()).contains("Name:", "web", "Kind:", "OrdinalSet");
    assertThat(ok("describe", "pod", "nginx-0").out()).contains("nginx-0", "node-a");

    assertThat(ok("delete", "pod", "-l", "app=nginx").out()).contains("pod \"nginx-0\" deleted");
    String left = ok("get", "pods", "-o", "name").out();
    assertThat(left).contains("pod/other").doesNotContain("nginx-0");
  }
}
