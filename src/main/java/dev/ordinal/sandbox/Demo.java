package dev.ordinal.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The tutorials' StatefulSet walkthrough (shared seeds digest), run end to end against the sandbox
 * without a person at the keyboard: each step prints what a user would see with kubectl (tables
 * from the API server's Table endpoint, as kubectl prints them) and whether the step's
 * expectation held. The exit code is 0 only when every step passed. The last steps do the same
 * for a native StatefulSet in storage mode, in a namespace of its own: its pods come from the
 * cluster's StatefulSet controller (kube-controller-manager's on the real backend, the sandbox's
 * on the mock), its claims from the operator.
 */
public final class Demo {
  private static final String NS = "default";
  /** examples/statefulset.yaml has the same names as the OrdinalSet example: it gets a namespace of its own. */
  private static final String STS_NS = "sts-demo";
  private static final Quantity GROWN = new Quantity("2Gi");
  /** How long the simulated kubelet takes to make a pod Ready in the storage mode steps. */
  private static final Duration CONTAINER_START = Duration.ofSeconds(3);
  private static final String OLD_IMAGE = "nginx:1.9.1";
  private static final String NEW_IMAGE = "nginx:1.27";
  private static final Duration WAIT = Duration.ofSeconds(45);

  /** How a step ended. */
  public enum Outcome { PASS, FAIL }

  private final Sandbox sandbox;
  private final KubernetesClient client;
  private final PrintStream out;
  private final ObjectMapper mapper = new ObjectMapper();
  /**
   * Pod lifecycle as seen by a watch: "ADDED web-0", "READY web-0", "DELETED web-4"; in the
   * storage mode steps also claims': "ADDED www-web-1 on pv-sts-1g-b" (created naming its volume),
   * "BOUND www-web-0", "REQUEST www-web-1 2Gi", "CAPACITY www-web-1 2Gi".
   */
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Set<String> readyUids = ConcurrentHashMap.newKeySet();
  private final Map<String, Outcome> results = new LinkedHashMap<>();

  public Demo(Sandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.client = sandbox.client();
    this.out = out;
  }

  /** Starts a sandbox of its own (any free port, a temporary kubeconfig), runs the demo, stops it. */
  public static int runInOwnSandbox(PrintStream out) throws IOException {
    return runInOwnSandbox(out, Sandbox.Backend.AUTO);
  }

  /** As {@link #runInOwnSandbox(PrintStream)}, on this backend. */
  public static int runInOwnSandbox(PrintStream out, Sandbox.Backend backend) throws IOException {
    Path dir = Files.createTempDirectory("ordinal-demo");
    Path kubeconfig = dir.resolve("kubeconfig");
    try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults().withPort(0).withKubeconfig(kubeconfig).withExample("none")
        .withBackend(backend))) {
      return new Demo(sandbox, out).run();
    } finally {
      Files.deleteIfExists(kubeconfig);
      Files.deleteIfExists(dir);
    }
  }

  /** Runs every step; 0 when each passed, 1 otherwise. */
  public int run() {
    out.println("OrdinalSet walkthrough in the sandbox ("
        + (sandbox.backend() == Sandbox.Backend.REAL ? "a real control plane" : "the embedded fabric8 mock")
        + ", a simulated kubelet, not a production cluster), namespace " + NS + "; then a StatefulSet in storage mode,"
        + " namespace " + STS_NS + ".");
    Watch watch = watchPods(NS);
    try {
      step("1. Create: pods in order, claims Bound to the smallest fitting volume", this::create);
      step("2. Delete the pods: they come back with the same claims", this::deletePods);
      step("3. Scale 2 -> 5 -> 2: one at a time, up in order, down in reverse", this::scale);
      step("4. Image change with partition 2: only ordinals >= 2 are updated", this::partitionedUpdate);
      step("5. One PV for two replicas: the second claim stays Pending, and the operator says why", this::onePvFailure);
    } finally {
      watch.close();
    }
    createNamespace(STS_NS);
    Watch stsPods = watchPods(STS_NS);
    Watch stsClaims = watchClaims(STS_NS);
    try {
      step("6. A StatefulSet in storage mode: claims made ahead of its controller, Bound to the smallest fitting volumes",
          this::statefulSetStorage);
      step("7. Grow the StatefulSet's claims to 2Gi: orphan delete, re-apply, highest ordinal first", this::statefulSetGrowth);
    } finally {
      stsPods.close();
      stsClaims.close();
    }
    out.println();
    out.println("Summary:");
    results.forEach((name, outcome) -> out.printf("  %-7s %s%n", outcome, name));
    boolean ok = results.values().stream().noneMatch(o -> o == Outcome.FAIL);
    out.println(ok ? "demo: every expectation held" : "demo: FAILED");
    return ok ? 0 : 1;
  }

  @FunctionalInterface
  private interface Step {
    Outcome run() throws Exception;
  }

  private void step(String name, Step step) {
    out.println();
    out.println("=== " + name);
    Outcome outcome;
    try {
      outcome = step.run();
    } catch (Exception | AssertionError e) {
      out.println("  error: " + e.getMessage());
      outcome = Outcome.FAIL;
    }
    out.println("--- " + outcome + ": " + name);
    results.put(name, outcome);
  }

  // ---- steps

  private Outcome create() {
    events.clear();
    command("kubectl apply -f examples/pvs.yaml");
    sandbox.applyResource("pvs.yaml");
    command("kubectl apply -f examples/web.yaml");
    sandbox.applyResource("web.yaml");
    boolean settled = await(() -> ready("web-0") && ready("web-1") && bound("www-web-0") && bound("www-web-1"));
    command("kubectl get pods -l app=nginx");
    table("/api/v1/namespaces/default/pods?labelSelector=app%3Dnginx");
    command("kubectl get pvc -l app=nginx");
    table("/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Dnginx");
    command("kubectl get pv");
    table("/api/v1/persistentvolumes");
    printOrder();
    return all(
        check(settled, "web-0 and web-1 Running and Ready, www-web-0 and www-web-1 Bound"),
        check(before("READY web-0", "ADDED web-1"), "web-1 was created only after web-0 was Ready"),
        check("pv-1g-a".equals(volumeOf("www-web-0")) && "pv-1g-b".equals(volumeOf("www-web-1")),
            "claims took the 1Gi volumes pv-1g-a and pv-1g-b, not pv-5g or pv-10g"));
  }

  private Outcome deletePods() {
    Map<String, String> uids = Map.of("web-0", uid("web-0"), "web-1", uid("web-1"));
    Map<String, String> volumes = Map.of("www-web-0", volumeOf("www-web-0"), "www-web-1", volumeOf("www-web-1"));
    events.clear();
    command("kubectl delete pod -l app=nginx");
    client.pods().inNamespace(NS).withLabel("app", "nginx").delete();
    boolean back = await(() -> uids.entrySet().stream().allMatch(e -> {
      String now = uid(e.getKey());
      return now != null && !now.equals(e.getValue()) && ready(e.getKey());
    }));
    command("kubectl get pods -l app=nginx");
    table("/api/v1/namespaces/default/pods?labelSelector=app%3Dnginx");
    command("kubectl get pvc -l app=nginx");
    table("/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Dnginx");
    printOrder();
    return all(
        check(back, "web-0 and web-1 were recreated (new uids) and are Ready"),
        check(before("ADDED web-0", "ADDED web-1"), "recreated in ordinal order"),
        check("www-web-0".equals(claimOf("web-0")) && "www-web-1".equals(claimOf("web-1")),
            "each pod mounts its old claim"),
        check(volumes.entrySet().stream().allMatch(e -> e.getValue().equals(volumeOf(e.getKey()))),
            "each claim is still Bound to the same volume " + volumes));
  }

  private Outcome scale() {
    command("kubectl apply -f pv-1g-c.yaml   # one more 1Gi volume");
    client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
        .withNewMetadata().withName("pv-1g-c").endMetadata()
        .withNewSpec().withStorageClassName("manual").addToCapacity("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
        .withAccessModes("ReadWriteOnce").withPersistentVolumeReclaimPolicy("Retain")
        .withNewHostPath().withPath("/tmp/ordinal-examples/pv-1g-c").withType("DirectoryOrCreate").endHostPath()
        .endSpec().build()).createOr(r -> r.update());
    // As in a cluster, a new PV is offered to claims once the PV controller has made it Available.
    boolean available = await(() -> {
      var pv = client.persistentVolumes().withName("pv-1g-c").get();
      return pv != null && pv.getStatus() != null && "Available".equals(pv.getStatus().getPhase());
    });
    events.clear();
    command("kubectl scale ordinalset web --replicas=5");
    setReplicas(5);
    boolean up = await(() -> ready("web-2") && ready("web-3") && ready("web-4"));
    command("kubectl get pods -l app=nginx");
    table("/api/v1/namespaces/default/pods?labelSelector=app%3Dnginx");
    command("kubectl get pvc -l app=nginx");
    table("/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Dnginx");
    printOrder();
    Outcome upOutcome = all(
        check(available, "pv-1g-c is Available"),
        check(up, "web-2, web-3 and web-4 Running and Ready"),
        check(before("READY web-2", "ADDED web-3") && before("READY web-3", "ADDED web-4"),
            "each created only after the previous one was Ready"),
        check("pv-1g-c".equals(volumeOf("www-web-2")) && "pv-5g".equals(volumeOf("www-web-3"))
            && "pv-10g".equals(volumeOf("www-web-4")), "smallest fitting volumes: pv-1g-c, then pv-5g, then pv-10g"));

    events.clear();
    command("kubectl scale ordinalset web --replicas=2");
    setReplicas(2);
    boolean down = await(() -> pod("web-2") == null && pod("web-3") == null && pod("web-4") == null);
    command("kubectl get pods -l app=nginx");
    table("/api/v1/namespaces/default/pods?labelSelector=app%3Dnginx");
    command("kubectl get pvc -l app=nginx   # claims stay (whenScaled: Retain)");
    table("/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Dnginx");
    printOrder();
    Outcome downOutcome = all(
        check(down, "web-4, web-3 and web-2 are gone; web-0 and web-1 stay"),
        check(before("DELETED web-4", "DELETED web-3") && before("DELETED web-3", "DELETED web-2"),
            "deleted in reverse ordinal order, 4, 3, 2"),
        check(bound("www-web-2") && bound("www-web-3") && bound("www-web-4"), "their claims are kept, still Bound"));
    return upOutcome == Outcome.PASS && downOutcome == Outcome.PASS ? Outcome.PASS : Outcome.FAIL;
  }

  private Outcome partitionedUpdate() {
    command("kubectl scale ordinalset web --replicas=4   # something above the partition");
    setReplicas(4);
    boolean four = await(() -> ready("web-2") && ready("web-3"));
    events.clear();
    String patch = """
        {"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}},
         "template":{"spec":{"containers":[{"name":"nginx","image":"%s","ports":[{"containerPort":80,"name":"web"}],
         "volumeMounts":[{"name":"www","mountPath":"/usr/share/nginx/html"}]}]}}}}""".formatted(NEW_IMAGE);
    command("kubectl patch ordinalset web --type merge -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":"
        + "{\"partition\":2}},\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"" + NEW_IMAGE
        + "\",...}]}}}}'");
    client.resources(OrdinalSet.class).inNamespace(NS).withName("web").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    boolean updated = await(() -> NEW_IMAGE.equals(image("web-2")) && NEW_IMAGE.equals(image("web-3"))
        && ready("web-2") && ready("web-3"));
    command("kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,"
        + "READY:.status.conditions[?(@.type==\"Ready\")].status");
    out.printf("  %-8s%-14s%s%n", "NAME", "IMAGE", "READY");
    for (int i = 0; i < 4; i++) {
      String name = "web-" + i;
      out.printf("  %-8s%-14s%s%n", name, image(name), ready(name) ? "True" : "False");
    }
    command("kubectl get ordinalset web");
    table("/apis/ordinal.dev/v1alpha1/namespaces/default/ordinalsets/web");
    printOrder();
    return all(
        check(four, "scaled to 4: web-2 and web-3 Ready again on their old claims"),
        check(updated, "web-2 and web-3 run " + NEW_IMAGE + " and are Ready"),
        check(OLD_IMAGE.equals(image("web-0")) && OLD_IMAGE.equals(image("web-1")),
            "web-0 and web-1 (below the partition) keep " + OLD_IMAGE),
        check(before("DELETED web-3", "DELETED web-2") && before("READY web-3", "DELETED web-2"),
            "replaced from the highest ordinal down, web-2 only once the new web-3 was Ready"));
  }

  private Outcome onePvFailure() {
    command("kubectl apply -f examples/one-pv-failure.yaml");
    sandbox.applyResource("one-pv-failure.yaml");
    boolean firstUp = await(() -> ready("one-pv-0") && bound("www-one-pv-0"));
    java.util.concurrent.atomic.AtomicReference<Optional<Condition>> storageBound =
        new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
    boolean explained = await(() -> {
      storageBound.set(condition("one-pv", "StorageBound"));
      return claim("www-one-pv-1") != null && storageBound.get().filter(c -> "False".equals(c.getStatus())).isPresent();
    });
    sleep(Duration.ofSeconds(1));
    command("kubectl get pods -l app=one-pv");
    table("/api/v1/namespaces/default/pods?labelSelector=app%3Done-pv");
    command("kubectl get pvc -l app=one-pv");
    table("/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Done-pv");
    command("kubectl get ordinalset one-pv -o jsonpath='{.status.conditions[?(@.type==\"StorageBound\")]}'");
    storageBound.get().ifPresent(c -> out.printf("  StorageBound=%s reason=%s%n  message: %s%n", c.getStatus(), c.getReason(),
        c.getMessage()));
    command("kubectl get events --field-selector involvedObject.name=www-one-pv-1");
    table("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dwww-one-pv-1");
    String message = storageBound.get().map(Condition::getMessage).orElse("");
    return all(
        check(firstUp, "www-one-pv-0 Bound to pv-one-pv, one-pv-0 Running and Ready"),
        check(!bound("www-one-pv-1"), "www-one-pv-1 stays Pending"),
        check(!ready("one-pv-1"), "one-pv-1 is not Running (its claim cannot bind)"),
        check(explained && message.contains("www-one-pv-1") && message.contains("pv-one-pv"),
            "the StorageBound condition names the claim and the closest volume and says what it lacks"));
  }

  private Outcome statefulSetStorage() {
    // Containers take a moment to start: without one, a real control plane makes web-0 Ready within
    // a few hundred milliseconds, and whether the operator's www-web-1 or the StatefulSet
    // controller's comes first is a race on a loaded machine.
    sandbox.kubelet().setReadyDelay(CONTAINER_START);
    out.println("  (here the simulated kubelet takes " + CONTAINER_START.toSeconds() + " s to make a pod Ready, as a container"
        + " takes a moment to start)");
    try {
      return statefulSetStorageWithSlowContainers();
    } finally {
      sandbox.kubelet().setReadyDelay(Duration.ZERO);
    }
  }

  private Outcome statefulSetStorageWithSlowContainers() {
    events.clear();
    command("kubectl create namespace " + STS_NS);
    command("kubectl apply -n " + STS_NS + " -f examples/statefulset.yaml   # class ordinal-expandable, 4 PVs, Service nginx,"
        + " StatefulSet web labelled ordinal.dev/storage: managed");
    sandbox.applyResource("statefulset.yaml", STS_NS, Optional::of);
    boolean settled = await(() -> ready(STS_NS, "web-0") && ready(STS_NS, "web-1") && bound(STS_NS, "www-web-0")
        && bound(STS_NS, "www-web-1"));
    command("kubectl get pods,pvc -n " + STS_NS);
    table("/api/v1/namespaces/" + STS_NS + "/pods");
    table("/api/v1/namespaces/" + STS_NS + "/persistentvolumeclaims");
    command("kubectl get pv -l ordinal.dev/example=statefulset");
    table("/api/v1/persistentvolumes?labelSelector=ordinal.dev%2Fexample%3Dstatefulset");
    printOrder();
    Set<String> chosen = new TreeSet<>();
    Stream.of(volumeOf(STS_NS, "www-web-0"), volumeOf(STS_NS, "www-web-1")).filter(Objects::nonNull).forEach(chosen::add);
    String podController = sandbox.backend() == Sandbox.Backend.REAL ? "kube-controller-manager's StatefulSet controller"
        : "the sandbox's StatefulSet controller";
    return all(
        check(settled, "web-0 and web-1 Running and Ready, www-web-0 and www-web-1 Bound"),
        check(before("READY web-0", "ADDED web-1"), "web-1 was created only after web-0 was Ready"),
        check(before("ADDED www-web-1 on " + volumeOf(STS_NS, "www-web-1"), "ADDED web-1"), "www-web-1 was created already"
            + " naming its volume before web-1 existed: the operator made it ahead of the StatefulSet controller (which"
            + " creates a claim with its pod, and unbound)"),
        check(chosen.equals(Set.of("pv-sts-1g-a", "pv-sts-1g-b")), "the claims took the 1Gi volumes " + chosen
            + ", not pv-sts-512m (too small) nor pv-sts-10g (larger than needed)"),
        check(phaseOf("pv-sts-512m").equals("Available") && phaseOf("pv-sts-10g").equals("Available"),
            "pv-sts-512m and pv-sts-10g stay Available"),
        check(Stream.of("web-0", "web-1").allMatch(p -> controlledByStatefulSet(pod(STS_NS, p))),
            "the pods are the StatefulSet's, made by " + podController + " (controller reference, statefulset.kubernetes.io/pod-name)"));
  }

  private Outcome statefulSetGrowth() {
    Map<String, String> uids = Map.of("web-0", uidOf(pod(STS_NS, "web-0")), "web-1", uidOf(pod(STS_NS, "web-1")));
    Map<String, String> volumes = Map.of("www-web-0", volumeOf(STS_NS, "www-web-0"), "www-web-1", volumeOf(STS_NS, "www-web-1"));
    events.clear();
    command("kubectl delete statefulset web -n " + STS_NS + " --cascade=orphan   # the set goes; its pods and claims stay");
    client.apps().statefulSets().inNamespace(STS_NS).withName("web").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    boolean gone = await(() -> client.apps().statefulSets().inNamespace(STS_NS).withName("web").get() == null);
    command("# storage: 1Gi -> 2Gi in the claim template www of examples/statefulset.yaml, then");
    command("kubectl apply -n " + STS_NS + " -f examples/statefulset.yaml");
    sandbox.applyResource("statefulset.yaml", STS_NS, Demo::withGrownClaimTemplate);
    boolean grown = await(() -> hasCapacity("www-web-0") && hasCapacity("www-web-1")
        && volumes.values().stream().allMatch(this::volumeHasGrown));
    boolean adopted = await(() -> Stream.of("web-0", "web-1").allMatch(p -> controlledByStatefulSet(pod(STS_NS, p))));
    command("kubectl get pvc -n " + STS_NS);
    table("/api/v1/namespaces/" + STS_NS + "/persistentvolumeclaims");
    command("kubectl get pv -l ordinal.dev/example=statefulset");
    table("/api/v1/persistentvolumes?labelSelector=ordinal.dev%2Fexample%3Dstatefulset");
    command("kubectl get events -n " + STS_NS + " --field-selector involvedObject.name=web");
    table("/api/v1/namespaces/" + STS_NS + "/events?fieldSelector=involvedObject.name%3Dweb");
    printOrder();
    return all(
        check(gone, "the StatefulSet is gone, its pods and claims are not"),
        check(adopted && uids.entrySet().stream().allMatch(e -> e.getValue() != null && e.getValue().equals(uidOf(pod(STS_NS, e.getKey())))),
            "web-0 and web-1 kept running (the same pods) and belong to the re-applied StatefulSet"),
        check(grown, "www-web-0 and www-web-1 and their volumes have " + GROWN + " of capacity: grown in place"),
        check(before("REQUEST www-web-1 " + GROWN, "REQUEST www-web-0 " + GROWN)
            && before("CAPACITY www-web-1 " + GROWN, "REQUEST www-web-0 " + GROWN),
            "highest ordinal first, one at a time: www-web-0 was asked for " + GROWN + " only once www-web-1 had it"),
        check(volumes.entrySet().stream().allMatch(e -> e.getValue() != null && e.getValue().equals(volumeOf(STS_NS, e.getKey()))),
            "each claim is still Bound to its volume " + new TreeMap<>(volumes)));
  }

  /**
   * The example's StatefulSet with a larger storage request in its claim template, as the user
   * edits the file. kubectl apply changes nothing else: the file's other objects are as they were
   * applied (and the PVs, bound since, keep their claimRef).
   */
  private static Optional<HasMetadata> withGrownClaimTemplate(HasMetadata item) {
    if (!(item instanceof StatefulSet set)) {
      return Optional.empty();
    }
    return Optional.of(new StatefulSetBuilder(set).editSpec().editFirstVolumeClaimTemplate().editSpec().editResources()
        .addToRequests("storage", GROWN).endResources().endSpec().endVolumeClaimTemplate().endSpec().build());
  }

  private boolean hasCapacity(String claimName) {
    PersistentVolumeClaim c = claim(STS_NS, claimName);
    return c != null && c.getStatus() != null && c.getStatus().getCapacity() != null && isGrown(c.getStatus().getCapacity().get("storage"));
  }

  private boolean volumeHasGrown(String volume) {
    var pv = volume == null ? null : client.persistentVolumes().withName(volume).get();
    return pv != null && isGrown(pv.getSpec().getCapacity().get("storage"));
  }

  private static boolean isGrown(Quantity capacity) {
    return capacity != null && Quantity.getAmountInBytes(capacity).compareTo(Quantity.getAmountInBytes(GROWN)) == 0;
  }

  private static boolean controlledByStatefulSet(Pod pod) {
    return pod != null && pod.getMetadata().getLabels() != null
        && pod.getMetadata().getName().equals(pod.getMetadata().getLabels().get("statefulset.kubernetes.io/pod-name"))
        && pod.getMetadata().getOwnerReferences().stream().anyMatch(r -> Boolean.TRUE.equals(r.getController())
            && "StatefulSet".equals(r.getKind()) && "apps/v1".equals(r.getApiVersion()) && "web".equals(r.getName()));
  }

  private String phaseOf(String volume) {
    var pv = client.persistentVolumes().withName(volume).get();
    return pv == null || pv.getStatus() == null || pv.getStatus().getPhase() == null ? "<none>" : pv.getStatus().getPhase();
  }

  // ---- checks and waiting

  private Outcome check(boolean held, String expectation) {
    out.println("  [" + (held ? "ok" : "NOT MET") + "] " + expectation);
    return held ? Outcome.PASS : Outcome.FAIL;
  }

  private static Outcome all(Outcome... outcomes) {
    for (Outcome o : outcomes) {
      if (o != Outcome.PASS) {
        return Outcome.FAIL;
      }
    }
    return Outcome.PASS;
  }

  private boolean before(String first, String second) {
    int a = events.indexOf(first);
    int b = events.indexOf(second);
    return a >= 0 && b >= 0 && a < b;
  }

  private void printOrder() {
    out.println("  order seen by watches: " + String.join(", ", events));
  }

  private static boolean await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      sleep(Duration.ofMillis(100));
    }
    return condition.getAsBoolean();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void setReplicas(int replicas) {
    client.resources(OrdinalSet.class).inNamespace(NS).withName("web")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  // ---- reads

  private Pod pod(String name) {
    return pod(NS, name);
  }

  private Pod pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  private PersistentVolumeClaim claim(String name) {
    return claim(NS, name);
  }

  private PersistentVolumeClaim claim(String namespace, String name) {
    return client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
  }

  private String uid(String pod) {
    return uidOf(pod(pod));
  }

  private static String uidOf(Pod p) {
    return p == null ? null : p.getMetadata().getUid();
  }

  private String image(String pod) {
    Pod p = pod(pod);
    return p == null ? null : p.getSpec().getContainers().get(0).getImage();
  }

  private boolean ready(String pod) {
    return ready(NS, pod);
  }

  private boolean ready(String namespace, String pod) {
    return isReady(pod(namespace, pod));
  }

  private static boolean isReady(Pod p) {
    return p != null && p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private boolean bound(String claim) {
    return bound(NS, claim);
  }

  private boolean bound(String namespace, String claim) {
    return isBound(claim(namespace, claim));
  }

  private static boolean isBound(PersistentVolumeClaim c) {
    return c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
  }

  private String volumeOf(String claim) {
    return volumeOf(NS, claim);
  }

  private String volumeOf(String namespace, String claim) {
    PersistentVolumeClaim c = claim(namespace, claim);
    return c == null ? null : c.getSpec().getVolumeName();
  }

  private String claimOf(String pod) {
    Pod p = pod(pod);
    if (p == null) {
      return null;
    }
    return p.getSpec().getVolumes().stream().filter(v -> "www".equals(v.getName()) && v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName()).findFirst().orElse(null);
  }

  private Optional<Condition> condition(String set, String type) {
    OrdinalSet s = client.resources(OrdinalSet.class).inNamespace(NS).withName(set).get();
    if (s == null || s.getStatus() == null || s.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return s.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  // ---- printing

  private void command(String line) {
    out.println("$ " + line);
  }

  /** Prints the server's Table for a path the way kubectl does (columns of priority 0, 3 spaces apart). */
  void table(String path) {
    try {
      // The client's own HTTP client: it carries the backend's TLS settings and credentials.
      var http = client.getHttpClient();
      var request = http.newHttpRequestBuilder().uri(sandbox.url() + path)
          .setHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
          .timeout(10, java.util.concurrent.TimeUnit.SECONDS).build();
      var response = http.sendAsync(request, String.class).get(15, java.util.concurrent.TimeUnit.SECONDS);
      JsonNode table = mapper.readTree(response.body());
      if (response.code() != 200) {
        out.println("  (" + table.path("message").asText(response.body()) + ")");
        return;
      }
      List<Integer> shown = new ArrayList<>();
      List<List<String>> lines = new ArrayList<>();
      List<String> header = new ArrayList<>();
      JsonNode columns = table.path("columnDefinitions");
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).path("priority").asInt(0) == 0) {
          shown.add(i);
          header.add(columns.get(i).path("name").asText().toUpperCase());
        }
      }
      lines.add(header);
      for (JsonNode row : table.path("rows")) {
        List<String> cells = new ArrayList<>();
        for (int i : shown) {
          JsonNode cell = row.path("cells").path(i);
          cells.add(cell.isNull() || cell.isMissingNode() ? "<none>" : cell.asText());
        }
        lines.add(cells);
      }
      if (lines.size() == 1) {
        java.util.regex.Matcher namespaced = java.util.regex.Pattern.compile("/namespaces/([^/]+)/").matcher(path);
        out.println(namespaced.find() ? "  No resources found in " + namespaced.group(1) + " namespace." : "  No resources found");
        return;
      }
      int[] widths = new int[header.size()];
      for (List<String> l : lines) {
        for (int i = 0; i < l.size(); i++) {
          widths[i] = Math.max(widths[i], l.get(i).length());
        }
      }
      for (List<String> l : lines) {
        StringBuilder sb = new StringBuilder("  ");
        for (int i = 0; i < l.size(); i++) {
          sb.append(i == l.size() - 1 ? l.get(i) : String.format("%-" + (widths[i] + 3) + "s", l.get(i)));
        }
        out.println(sb.toString().stripTrailing());
      }
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      out.println("  (table unavailable: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void createNamespace(String name) {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).createOr(r -> r.update());
  }

  /**
   * Watches from a list's resourceVersion: a watch without one asks fabric8 for the initial events as
   * a watch stream (sendInitialEvents), which a real kube-apiserver over etcd 3.4 refuses.
   */
  private Watch watchPods(String namespace) {
    var pods = client.pods().inNamespace(namespace).withLabel("app", "nginx");
    return pods.withResourceVersion(pods.list().getMetadata().getResourceVersion()).watch(new PodRecorder());
  }

  private Watch watchClaims(String namespace) {
    var claims = client.persistentVolumeClaims().inNamespace(namespace);
    return claims.withResourceVersion(claims.list().getMetadata().getResourceVersion()).watch(new ClaimRecorder());
  }

  /** Records claim additions, first binding and each change of storage request and capacity, in the order the watch sees them. */
  private final class ClaimRecorder implements Watcher<PersistentVolumeClaim> {
    private final Map<String, String> requests = new ConcurrentHashMap<>();
    private final Map<String, String> capacities = new ConcurrentHashMap<>();

    @Override
    public void eventReceived(Action action, PersistentVolumeClaim claim) {
      String name = claim.getMetadata().getName();
      if (action == Action.ADDED) {
        // A claim created already naming its volume was pre-bound by the operator.
        events.add("ADDED " + name + (claim.getSpec().getVolumeName() == null ? "" : " on " + claim.getSpec().getVolumeName()));
      }
      if (action != Action.ADDED && action != Action.MODIFIED) {
        return;
      }
      if (isBound(claim) && !events.contains("BOUND " + name)) {
        events.add("BOUND " + name);
      }
      changed("REQUEST", name, claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
          ? null : claim.getSpec().getResources().getRequests().get("storage"), requests);
      changed("CAPACITY", name, claim.getStatus() == null || claim.getStatus().getCapacity() == null
          ? null : claim.getStatus().getCapacity().get("storage"), capacities);
    }

    /** "REQUEST www-web-1 2Gi" when the value changes from one it had before (not when it is first seen). */
    private void changed(String what, String claim, Quantity value, Map<String, String> last) {
      if (value == null) {
        return;
      }
      String before = last.put(claim, value.toString());
      if (before != null && !before.equals(value.toString())) {
        events.add(what + " " + claim + " " + value);
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      if (cause != null) {
        out.println("  (claim watch closed: " + cause.getMessage() + ")");
      }
    }
  }

  /** Records pod additions, first readiness per pod instance and deletions, in the order the watch sees them. */
  private final class PodRecorder implements Watcher<Pod> {
    @Override
    public void eventReceived(Action action, Pod pod) {
      String name = pod.getMetadata().getName();
      switch (action) {
        case ADDED -> {
          record("ADDED " + name);
          if (isReady(pod) && readyUids.add(pod.getMetadata().getUid())) {
            record("READY " + name);
          }
        }
        case MODIFIED -> {
          if (isReady(pod) && readyUids.add(pod.getMetadata().getUid())) {
            record("READY " + name);
          }
        }
        case DELETED -> record("DELETED " + name);
        default -> { }
      }
    }

    private void record(String event) {
      if (!events.contains(event) || event.startsWith("READY ")) {
        events.add(event);
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      if (cause != null) {
        out.println("  (pod watch closed: " + cause.getMessage() + ")");
      }
    }
  }
}
