package dev.ordinal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.sandbox.controlplane.ControlPlaneBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sandbox as a newcomer uses it: started with the web example, then driven by the installed
 * kubectl binary (skipped, with the reason printed, when none is on the PATH). Assertions are on
 * kubectl's own output, and hold on both backends: {@link SandboxKubectlMockTest} and
 * {@link SandboxKubectlRealTest} run the same tests, one sandbox per class. The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxKubectlTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Path dir;
  private Sandbox sandbox;
  private Kubectl kubectl;

  abstract Sandbox.Backend backend();

  @BeforeAll
  void start() throws java.io.IOException {
    Assumptions.assumeTrue(Kubectl.onPath().isPresent(), () -> {
      System.out.println("SandboxKubectlTest skipped: no kubectl on the PATH");
      return "kubectl is not on the PATH";
    });
    dir = Files.createTempDirectory("sandbox-kubectl");
    sandbox = Sandbox.start(Sandbox.Options.defaults().withPort(0).withKubeconfig(dir.resolve("kubeconfig"))
        .withBackend(backend()));
    kubectl = new Kubectl(sandbox.kubeconfig(), dir);
  }

  @AfterAll
  void stop() throws java.io.IOException {
    if (sandbox != null) {
      sandbox.close();
    }
    if (dir != null) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(0)
  void kubectlVersionNamesTheServer() {
    String out = kubectl.ok("version").out();
    if (sandbox.backend() == Sandbox.Backend.REAL) {
      assertThat(out).contains("Server Version: v" + ControlPlaneBinaries.PINNED_VERSION);
    } else {
      assertThat(out).contains("Server Version:");
    }
  }

  /** The whitespace-separated cells of the line that starts with {@code name}. */
  static List<String> row(String table, String name) {
    return table.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> Arrays.asList(l.trim().split("\\s+")))
        .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + table));
  }

  static List<String> header(String table) {
    return Arrays.asList(table.lines().findFirst().orElse("").trim().split("\\s{2,}"));
  }

  @Test
  @Order(1)
  void getPvcShowsTheExampleClaimsBoundToTheSmallestVolumes() {
    String out = kubectl.ok("get", "pvc", "-l", "app=nginx").out();
    assertThat(header(out)).startsWith("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS");
    assertThat(row(out, "www-web-0")).startsWith("www-web-0", "Bound", "pv-1g-a", "1Gi", "RWO", "manual");
    assertThat(row(out, "www-web-1")).startsWith("www-web-1", "Bound", "pv-1g-b", "1Gi", "RWO", "manual");
  }

  @Test
  @Order(2)
  void getOrdsShowsThePrinterColumns() {
    String out = kubectl.until(WAIT, r -> r.exit() == 0 && r.out().contains("web ") && row(r.out(), "web").get(3).equals("2"),
        "get", "ords").out();
    assertThat(header(out)).contains("NAME", "DESIRED", "READY", "UPDATED", "BOUND", "AGE");
    List<String> h = header(out);
    List<String> web = row(out, "web");
    assertThat(web.get(h.indexOf("DESIRED"))).isEqualTo("2");
    assertThat(web.get(h.indexOf("BOUND"))).isEqualTo("2");
  }

  @Test
  @Order(3)
  void scaleToThreeWithAThirdVolume() throws Exception {
    Path pv = Files.writeString(dir.resolve("pv.yaml"), """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: pv-1g-c
        spec:
          storageClassName: manual
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          hostPath: {path: /tmp/ordinal-examples/pv-1g-c}
        """);
    assertThat(kubectl.ok("apply", "-f", pv.toString()).out()).contains("persistentvolume/pv-1g-c created");
    kubectl.until(WAIT, r -> r.out().contains("pv-1g-c ") && row(r.out(), "pv-1g-c").contains("Available"),
        "get", "pv", "pv-1g-c");
    Kubectl.Background watch = kubectl.start("get", "pods", "-l", "app=nginx", "--watch");
    try {
      assertThat(kubectl.ok("scale", "ordinalset", "web", "--replicas=3").out()).contains("ordinalset.ordinal.dev/web scaled");
      // kubectl wait fails at once on an object that does not exist yet: wait for it to appear first
      kubectl.until(WAIT, r -> r.out().contains("web-2"), "get", "pods", "-l", "app=nginx");
      // kubectl wait watches (chunked HTTP streaming, served by the sandbox's front)
      assertThat(kubectl.ok("wait", "--for=condition=Ready", "pod/web-2", "--timeout=30s").out())
          .contains("pod/web-2 condition met");
      String pods = kubectl.ok("get", "pods", "-l", "app=nginx").out();
      assertThat(row(pods, "web-2")).startsWith("web-2", "1/1", "Running");
      // kubectl get --watch printed the list, then web-2 as it went from Pending to Running and Ready
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!watch.output().matches("(?s).*\\nweb-2 +1/1 +Running.*") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String watched = watch.output();
      assertThat(header(watched)).startsWith("NAME", "READY", "STATUS", "RESTARTS", "AGE");
      assertThat(watched).containsPattern("\\nweb-0 +1/1 +Running").containsPattern("\\nweb-2 +0/1 +Pending")
          .containsPattern("\\nweb-2 +1/1 +Running");
      assertThat(watch.process().isAlive()).as("kubectl get --watch keeps watching").isTrue();
    } finally {
      watch.process().destroyForcibly();
    }
    // The smallest volume that fits: the new 1Gi one, not pv-5g or pv-10g.
    assertThat(row(kubectl.ok("get", "pvc", "www-web-2").out(), "www-web-2")).startsWith("www-web-2", "Bound", "pv-1g-c");
  }

  @Test
  @Order(4)
  void partitionedImageChange() {
    String patch = """
        {"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}},"template":{"spec":{"containers":[
        {"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"name":"web"}],
         "volumeMounts":[{"name":"www","mountPath":"/usr/share/nginx/html"}]}]}}}}""";
    assertThat(kubectl.ok("patch", "ordinalset", "web", "--type", "merge", "-p", patch).out())
        .contains("ordinalset.ordinal.dev/web patched");
    assertThat(kubectl.ok("get", "ordinalset", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").out())
        .isEqualTo("nginx:1.27");
    String images = "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image}="
        + "{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}";
    // Only web-2 (ordinal >= partition) is replaced with the new template; web-0 and web-1 keep the old one.
    kubectl.until(WAIT, r -> r.out().contains("web-2=nginx:1.27=True"), "get", "pods", "-l", "app=nginx", "-o", images);
    String out = kubectl.ok("get", "pods", "-l", "app=nginx", "-o", images).out();
    assertThat(out).contains("web-0=nginx:1.9.1=True", "web-1=nginx:1.9.1=True", "web-2=nginx:1.27=True");
    List<String> h = header(kubectl.ok("get", "ords", "web").out());
    kubectl.until(WAIT, r -> row(r.out(), "web").get(h.indexOf("UPDATED")).equals("1"), "get", "ords", "web");
  }

  @Test
  @Order(5)
  void aDeletedPodComesBackWithItsOwnClaimAndVolume() {
    String uid = kubectl.ok("get", "pod", "web-0", "-o", "jsonpath={.metadata.uid}").out();
    // --wait=false: the next step waits for the replacement; a loaded machine may need more than
    // kubectl's 15 s here for the graceful deletion a real API server does
    assertThat(kubectl.ok("delete", "pod", "web-0", "--wait=false").out()).contains("pod \"web-0\" deleted");
    kubectl.until(WAIT, r -> r.exit() == 0 && !r.out().isEmpty() && !r.out().startsWith(uid + " ")
        && r.out().endsWith(" True"), "get", "pod", "web-0", "-o",
        "jsonpath={.metadata.uid} {.status.conditions[?(@.type==\"Ready\")].status}");
    assertThat(kubectl.ok("get", "pod", "web-0", "-o",
        "jsonpath={.spec.volumes[?(@.name==\"www\")].persistentVolumeClaim.claimName}").out()).isEqualTo("www-web-0");
    assertThat(row(kubectl.ok("get", "pvc", "www-web-0").out(), "www-web-0")).startsWith("www-web-0", "Bound", "pv-1g-a");
  }

  @Test
  @Order(6)
  void negativeReplicasAreRejectedWithTheApiMessage() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: ordinal.dev/v1alpha1
        kind: OrdinalSet
        metadata:
          name: bad
        spec:
          replicas: -1
          selector: {matchLabels: {app: bad}}
          template:
            metadata: {labels: {app: bad}}
            spec:
              containers: [{name: c, image: nginx:1.9.1}]
        """);
    Kubectl.Result r = kubectl.run("apply", "-f", bad.toString());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    // Two rules reject it (the schema's minimum and the CEL rule): kube-apiserver's Status lists them as
    // causes, which kubectl prints as bullets; the mock's message lists them in brackets.
    assertThat(r.err()).contains("The OrdinalSet \"bad\" is invalid: ")
        .contains("spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0");
    assertThat(kubectl.run("get", "ordinalset", "bad").err()).contains("NotFound");
  }

  @Test
  @Order(7)
  void eventsListTheCreations() {
    String out = kubectl.ok("get", "events").out();
    assertThat(header(out)).contains("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    assertThat(out).contains("SuccessfulCreate").contains("ordinalset/web");
  }
}
