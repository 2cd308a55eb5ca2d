package dev.ordinal.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.sandbox.KubeletSimulator;
import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mock backend's StatefulSet controller, with the sandbox's other cluster parts (garbage
 * collector, PV controller, kubelet simulator) and no operator: claims stay unbound until the test
 * binds them, as the PV binder would, so ordering is in the test's hands.
 */
class StatefulSetControllerMockTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static EmbeddedApiServer server;
  private static KubernetesClient client;
  private static KubeletSimulator kubelet;
  private String ns;

  @BeforeAll
  static void start() {
    server = EmbeddedApiServer.start(0);
    client = server.client();
    kubelet = new KubeletSimulator(client, KubeletSimulator.NODE_NAME, Instant::now).start();
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    server.close();
  }

  @BeforeEach
  void namespace() {
    ns = "sts" + NAMESPACES.incrementAndGet();
  }

  @Test
  void podsComeUpInOrderWithClaimsOfTheTemplate() {
    try (PodOrder order = new PodOrder()) {
      StatefulSet set = create(web(2, b -> b));

      PersistentVolumeClaim claim = awaitClaim("www-web-0");
      assertThat(claim.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("tier", "data", "app", "nginx"));
      assertThat(claim.getMetadata().getOwnerReferences()).as("Retain/Retain: no owner").isEmpty();
      assertThat(claim.getSpec().getVolumeName()).as("left unbound for the PV binder").isNull();
      assertThat(claim.getSpec().getStorageClassName()).isEqualTo("standard");
      assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));

      Pod web0 = awaitPod("web-0");
      assertThat(web0.getMetadata().getLabels())
          .containsEntry("app", "nginx")
          .containsEntry("statefulset.kubernetes.io/pod-name", "web-0")
          .containsEntry("apps.kubernetes.io/pod-index", "0")
          .containsKey("controller-revision-hash")
          .doesNotContainKeys("ordinal.dev/set-name", "ordinal.dev/pod-index", "ordinal.dev/pod-name");
      assertThat(web0.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
        assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
        assertThat(ref.getKind()).isEqualTo("StatefulSet");
        assertThat(ref.getName()).isEqualTo("web");
        assertThat(ref.getUid()).isEqualTo(set.getMetadata().getUid());
        assertThat(ref.getController()).isTrue();
        assertThat(ref.getBlockOwnerDeletion()).isTrue();
      });
      assertThat(web0.getSpec().getHostname()).isEqualTo("web-0");
      assertThat(web0.getSpec().getSubdomain()).isEqualTo("nginx");
      assertThat(web0.getSpec().getVolumes()).anySatisfy(v -> {
        assertThat(v.getName()).isEqualTo("www");
        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
      });

      await().during(Duration.ofSeconds(1)).atMost(TIMEOUT).until(() -> pod("web-1") == null);
      bind("www-web-0");
      awaitReady("web-0");
      bind("www-web-1");
      awaitReady("web-1");

      assertThat(order.seen()).containsSubsequence("+web-0", "ready web-0", "+web-1");
      await().atMost(TIMEOUT).untilAsserted(() -> {
        var status = set("web").getStatus();
        assertThat(status.getObservedGeneration()).isEqualTo(set("web").getMetadata().getGeneration());
        assertThat(List.of(status.getReplicas(), status.getReadyReplicas(), status.getAvailableReplicas(),
            status.getCurrentReplicas(), status.getUpdatedReplicas())).containsOnly(2);
        assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision())
            .isEqualTo(pod("web-1").getMetadata().getLabels().get("controller-revision-hash"));
      });
    }
  }

  @Test
  void existingClaimIsUsedAsIs() {
    PersistentVolumeClaim before = client.persistentVolumeClaims().inNamespace(ns).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("www-web-0").withLabels(Map.of("made-by", "someone-else"))
        .withAnnotations(Map.of("pv.kubernetes.io/bind-completed", "yes")).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard").withVolumeName("pv-chosen-earlier")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
        .withNewStatus().withPhase("Bound").endStatus()
        .build()).create();

    create(web(1, b -> b));
    awaitReady("web-0");
    await().during(Duration.ofSeconds(1)).atMost(TIMEOUT).until(() -> set("web").getStatus() != null
        && Integer.valueOf(1).equals(set("web").getStatus().getReadyReplicas()));

    PersistentVolumeClaim after = claim("www-web-0");
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getMetadata().getResourceVersion()).as("never written").isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getSpec().getVolumeName()).isEqualTo("pv-chosen-earlier");
  }

  @Test
  void claimsAreLeftUnboundEvenWhenAVolumeFits() {
    String volume = ns + "-pv";
    client.persistentVolumes().resource(new PersistentVolumeBuilder()
        .withNewMetadata().withName(volume).endMetadata()
        .withNewSpec().withStorageClassName(ns).addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
        .withNewHostPath().withPath("/tmp/" + volume).endHostPath().endSpec().build()).create();
    await().atMost(TIMEOUT).until(() -> client.persistentVolumes().withName(volume).get().getStatus() != null);

    create(web(1, b -> b.editSpec().editFirstVolumeClaimTemplate().editSpec().withStorageClassName(ns).endSpec()
        .endVolumeClaimTemplate().endSpec()));
    awaitPod("web-0");

    await().during(Duration.ofSeconds(1)).atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(claim("www-web-0").getSpec().getVolumeName()).as("binding is the PV binder's").isNull();
      assertThat(client.persistentVolumes().withName(volume).get().getSpec().getClaimRef()).as("nothing reserved").isNull();
    });
  }

  @Test
  void parallelPodsAreCreatedWithoutWaitingForEachOther() {
    create(web(3, b -> b.editSpec().withPodManagementPolicy("Parallel").endSpec()));

    await().atMost(TIMEOUT).until(() -> pod("web-0") != null && pod("web-1") != null && pod("web-2") != null);
    assertThat(List.of("www-web-0", "www-web-1", "www-web-2")).allSatisfy(c -> assertThat(claim(c)).isNotNull());
    assertThat(List.of("web-0", "web-1", "web-2")).noneMatch(this::isReady);
  }

  @Test
  void scaleDownDeletesTheHighestOrdinalFirstAndKeepsTheClaims() {
    create(web(3, b -> b));
    bindInOrder("www-web-0", "www-web-1", "www-web-2");
    awaitReady("web-2");

    try (PodOrder order = new PodOrder()) {
      client.apps().statefulSets().inNamespace(ns).withName("web").scale(1);
      await().atMost(TIMEOUT).until(() -> pod("web-1") == null && pod("web-2") == null);
      assertThat(order.seen()).containsSubsequence("-web-2", "-web-1").doesNotContain("-web-0");
    }
    assertThat(List.of("www-web-1", "www-web-2")).allSatisfy(c -> assertThat(claim(c)).as(c).isNotNull());
  }

  @Test
  void rollingUpdateReplacesPodsFromTheHighestOrdinalDown() {
    create(web(3, b -> b));
    bindInOrder("www-web-0", "www-web-1", "www-web-2");
    awaitReady("web-2");
    String oldRevision = set("web").getStatus().getUpdateRevision();

    try (PodOrder order = new PodOrder()) {
      // As `kubectl set image` sends it: a patch without a resourceVersion.
      client.apps().statefulSets().inNamespace(ns).withName("web").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
          "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\"}]}}}}");
      await().atMost(TIMEOUT).untilAsserted(() -> {
        for (String name : List.of("web-0", "web-1", "web-2")) {
          Pod p = pod(name);
          assertThat(p).as(name).isNotNull();
          assertThat(p.getSpec().getContainers().get(0).getImage()).as(name).isEqualTo("nginx:1.27");
          assertThat(isReady(p)).as(name + " Ready").isTrue();
        }
      });
      assertThat(order.seen()).containsSubsequence("-web-2", "ready web-2", "-web-1", "ready web-1", "-web-0");
    }
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var status = set("web").getStatus();
      assertThat(status.getUpdateRevision()).isNotEqualTo(oldRevision);
      assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
      assertThat(status.getUpdatedReplicas()).isEqualTo(3);
    });
  }

  @Test
  void whenDeletedDeleteMakesTheSetTheControllerOfItsClaims() {
    StatefulSet set = create(web(1, b -> b.editSpec().withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted("Delete").withWhenScaled("Retain").endPersistentVolumeClaimRetentionPolicy().endSpec()));

    awaitClaim("www-web-0");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(claim("www-web-0").getMetadata().getOwnerReferences())
        .singleElement().satisfies(ref -> {
          assertThat(ref.getKind()).isEqualTo("StatefulSet");
          assertThat(ref.getUid()).isEqualTo(set.getMetadata().getUid());
          assertThat(ref.getController()).isTrue();
        }));
  }

  @Test
  void orphanedPodsAreAdoptedByTheRecreatedSet() {
    StatefulSet first = create(web(1, b -> b));
    bind("www-web-0");
    awaitReady("web-0");
    String podUid = pod("web-0").getMetadata().getUid();

    client.apps().statefulSets().inNamespace(ns).withName("web").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    await().atMost(TIMEOUT).until(() -> ownerUids("web-0").isEmpty());
    StatefulSet second = create(web(1, b -> b));

    await().atMost(TIMEOUT).until(() -> ownerUids("web-0").equals(List.of(second.getMetadata().getUid())));
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    assertThat(pod("web-0").getMetadata().getUid()).as("the same pod, not a new one").isEqualTo(podUid);
    await().atMost(TIMEOUT).until(() -> set("web").getStatus() != null && Integer.valueOf(1).equals(set("web").getStatus().getReadyReplicas()));
  }

  // ---- fixtures

  private StatefulSet web(int replicas, UnaryOperator<StatefulSetBuilder> edit) {
    return edit.apply(new StatefulSetBuilder()
        .withNewMetadata().withName("web").withNamespace(ns).endMetadata()
        .withNewSpec().withServiceName("nginx").withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", "nginx").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "nginx").endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.9.1")
        .addNewVolumeMount().withName("www").withMountPath("/usr/share/nginx/html").endVolumeMount().endContainer().endSpec()
        .endTemplate()
        .addNewVolumeClaimTemplate().withNewMetadata().withName("www").addToLabels("tier", "data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
        .endVolumeClaimTemplate()
        .endSpec()).build();
  }

  private StatefulSet create(StatefulSet set) {
    return client.apps().statefulSets().inNamespace(ns).resource(set).create();
  }

  /** What the PV binder would do: the claim names a volume and is Bound. */
  private void bind(String claim) {
    awaitClaim(claim);
    var claims = client.persistentVolumeClaims().inNamespace(ns).withName(claim);
    claims.edit(c -> new PersistentVolumeClaimBuilder(c).editSpec().withVolumeName("pv-" + ns + "-" + claim).endSpec().build());
    claims.editStatus(c -> new PersistentVolumeClaimBuilder(c).withNewStatus().withPhase("Bound")
        .addToCapacity("storage", new Quantity("1Gi")).endStatus().build());
  }

  private void bindInOrder(String... claims) {
    for (String claim : claims) {
      bind(claim);
    }
  }

  private StatefulSet set(String name) {
    return client.apps().statefulSets().inNamespace(ns).withName(name).get();
  }

  private Pod pod(String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  /** The pod's owners' uids; a pod that cannot be read now (a GET racing a write on the mock) counts as owned by "absent". */
  private List<String> ownerUids(String name) {
    Pod p = pod(name);
    return p == null ? List.of("absent") : p.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList();
  }

  private PersistentVolumeClaim claim(String name) {
    return client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
  }

  private PersistentVolumeClaim awaitClaim(String name) {
    await().atMost(TIMEOUT).until(() -> claim(name) != null);
    return claim(name);
  }

  private Pod awaitPod(String name) {
    await().atMost(TIMEOUT).until(() -> pod(name) != null);
    return pod(name);
  }

  private boolean isReady(String pod) {
    return isReady(pod(pod));
  }

  private static boolean isReady(Pod p) {
    return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void awaitReady(String pod) {
    await().atMost(TIMEOUT).until(() -> isReady(pod));
  }

  /** Pod additions ("+web-0"), first readiness per pod instance ("ready web-0") and deletions ("-web-0"), in the order seen. */
  private final class PodOrder implements ResourceEventHandler<Pod>, AutoCloseable {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Set<String> readyUids = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Pod> informer = client.pods().inNamespace(ns).inform(this);

    @Override
    public void onAdd(Pod pod) {
      seen.add("+" + pod.getMetadata().getName());
      onUpdate(null, pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod pod) {
      if (isReady(pod) && readyUids.add(pod.getMetadata().getUid())) {
        seen.add("ready " + pod.getMetadata().getName());
      }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      seen.add("-" + pod.getMetadata().getName());
    }

    List<String> seen() {
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      informer.close();
    }
  }
}
