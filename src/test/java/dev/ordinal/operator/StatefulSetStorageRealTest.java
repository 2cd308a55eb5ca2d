package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.spec.StatefulSetDefinitions;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.RequestRecorder;
import dev.ordinal.testing.real.RealHarness;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StatefulSet storage mode beside the cluster's own StatefulSet controller and PV binder
 * (kube-controller-manager 1.32): our operator does the storage half of labelled StatefulSets,
 * the cluster keeps their pods, and an unlabelled StatefulSet never hears from us.
 */
class StatefulSetStorageRealTest {
  private static final Duration SLOW = Duration.ofSeconds(60);

  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  private static final RequestRecorder requests = new RequestRecorder();

  @BeforeAll
  static void operatorWhoseRequestsAreRecorded() {
    harness.startOperator(RealHarness.defaultConfig(), requests::install);
  }

  @AfterAll
  static void statefulSetsWereOnlyEverRead() {
    Set<String> verbs = requests.requests().stream().flatMap(r -> r.access().stream())
        .filter(a -> a.resource().startsWith("statefulsets")).map(a -> a.verb()).collect(Collectors.toSet());
    assertThat(verbs).as("our requests on statefulsets").isSubsetOf("list", "watch");
    assertThat(requests.requests().stream().flatMap(r -> r.access().stream())
        .filter(a -> a.resource().startsWith("pods") && !Set.of("list", "watch").contains(a.verb())).toList())
        .as("storage mode writes no pod").isEmpty();
  }

  private static StatefulSet statefulSet(Cluster c, String name, int replicas, String size) {
    return Fixtures.statefulSet(c.ns(), name, replicas, c.storageClass(), size);
  }

  private static StatefulSet create(Cluster c, StatefulSet sts) {
    return c.client().apps().statefulSets().inNamespace(c.ns()).resource(sts).create();
  }

  private static void scale(Cluster c, String name, int replicas) {
    c.client().apps().statefulSets().inNamespace(c.ns()).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private static void awaitBoundAndReady(Cluster c, String set, int replicas, Duration within) {
    await().atMost(within).untilAsserted(() -> {
      for (int i = 0; i < replicas; i++) {
        assertThat(c.claimPhase("www-" + set + "-" + i)).as("www-%s-%d", set, i).isEqualTo("Bound");
        assertThat(c.isReady(set + "-" + i)).as("%s-%d Ready", set, i).isTrue();
      }
    });
  }

  private static String volumeOf(Cluster c, String claim) {
    return c.claim(claim).getSpec().getVolumeName();
  }

  /** Names of the claims our client created (201) in this namespace. */
  private static Set<String> claimsWeCreated(Cluster c) {
    ObjectMapper json = new ObjectMapper();
    Set<String> names = new HashSet<>();
    for (RequestRecorder.Request r : requests.requests()) {
      var a = r.access();
      if (r.code() == 201 && a.isPresent() && a.get().resource().equals("persistentvolumeclaims")
          && a.get().namespace().orElse("").equals(c.ns())) {
        try {
          names.add(json.readTree(r.body()).path("metadata").path("name").asText());
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }

  private static List<Event> ourEvents(Cluster c, String kind, String name) {
    return c.events().stream()
        .filter(e -> "ordinal-operator".equals(e.getReportingComponent()))
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static double gauge(String name, Cluster c, String set) {
    var g = harness.registry().find(name).tag("namespace", c.ns()).tag("statefulset", set).gauge();
    return g == null ? -1 : g.value();
  }

  @Test
  void walkthroughClaimsLandOnTheVolumesOurBinderChoseAndTheClusterKeepsThePods() {
    Cluster c = new Cluster(harness);
    // Ordinal 0 races the StatefulSet controller: should it create the claim first, the cluster's
    // binder may bind it before we do, by its own rules (fewest access modes, smallest, ties
    // unordered). So web-0's best volume is unique; the tie-breaks are shown on web-1..3, whose
    // claims we create while the StatefulSet controller waits for web-0: fewest access modes
    // first, then the smallest, then the name.
    c.createPv("pv-e", "5Gi");
    c.createPv("pv-d", "1100Mi");
    c.createPv("pv-c", "1100Mi");
    c.createPv("pv-b", "1100Mi", "ReadWriteOnce", "ReadWriteMany");
    c.createPv("pv-a", "2Gi");
    c.createPv("pv-first", "1Gi");
    StatefulSet sts = statefulSet(c, "web", 4, "1Gi");
    sts.getSpec().setPersistentVolumeClaimRetentionPolicy(new StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
        .withWhenDeleted("Delete").withWhenScaled("Retain").build());
    List<String> ownerRewrites = new java.util.concurrent.CopyOnWriteArrayList<>();

    try (var informer = c.client().persistentVolumeClaims().inNamespace(c.ns()).inform(
        new io.fabric8.kubernetes.client.informers.ResourceEventHandler<PersistentVolumeClaim>() {
          @Override
          public void onAdd(PersistentVolumeClaim claim) {}

          @Override
          public void onUpdate(PersistentVolumeClaim before, PersistentVolumeClaim after) {
            if (!java.util.Objects.equals(before.getMetadata().getOwnerReferences(), after.getMetadata().getOwnerReferences())) {
              ownerRewrites.add(after.getMetadata().getName() + ": " + after.getMetadata().getOwnerReferences());
            }
          }

          @Override
          public void onDelete(PersistentVolumeClaim claim, boolean unknown) {}
        })) {
      // Pods take a second to become Ready, as real ones do: the StatefulSet controller then waits
      // at web-0 while we make the other claims (with instant pods it could reach web-3 first).
      harness.kubelet().setReadyDelay(Duration.ofSeconds(1));
      create(c, sts);
      awaitBoundAndReady(c, "web", 4, SLOW);
    } finally {
      harness.kubelet().setReadyDelay(Duration.ZERO);
    }
    // The StatefulSet controller found the claims we made as it makes them: it rewrote no owner.
    // (www-web-0 may be its own: it creates a claim without owners and adds them in a later sync.)
    assertThat(ownerRewrites).noneMatch(r -> r.startsWith("www-web-1:") || r.startsWith("www-web-2:") || r.startsWith("www-web-3:"));
    for (int i = 0; i < 4; i++) {
      assertThat(c.claim("www-web-" + i).getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getKind()).isEqualTo("StatefulSet");
        assertThat(o.getController()).isTrue();
      });
    }
    assertThat(volumeOf(c, "www-web-0")).isEqualTo(c.pvName("pv-first"));
    assertThat(volumeOf(c, "www-web-1")).isEqualTo(c.pvName("pv-c"));
    assertThat(volumeOf(c, "www-web-2")).isEqualTo(c.pvName("pv-d"));
    assertThat(volumeOf(c, "www-web-3")).isEqualTo(c.pvName("pv-a"));
    assertThat(claimsWeCreated(c)).contains("www-web-1", "www-web-2", "www-web-3");
    for (int i = 0; i < 4; i++) {
      Pod pod = c.pod("web-" + i);
      assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getKind()).isEqualTo("StatefulSet"));
      String claim = "www-web-" + i;
      assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim));
      PersistentVolume pv = c.client().persistentVolumes().withName(volumeOf(c, claim)).get();
      assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(c.claim(claim).getMetadata().getUid());
    }
    for (String free : List.of("pv-b", "pv-e")) {
      assertThat(c.client().persistentVolumes().withName(c.pvName(free)).get().getSpec().getClaimRef()).as(free).isNull();
    }
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> assertThat(gauge("ordinal_statefulset_claims_bound", c, "web")).isEqualTo(4));
  }

  @Test
  void onePvForTwoReplicasIsExplainedOnTheClaimAndOnTheSet() {
    Cluster c = new Cluster(harness);
    c.createPv("only", "1Gi");
    c.createPv("tiny", "100Mi");
    StatefulSet sts = statefulSet(c, "web", 2, "1Gi");
    sts.getSpec().setPodManagementPolicy("Parallel");

    create(c, sts);

    awaitBoundAndReady(c, "web", 1, SLOW);
    await().atMost(SLOW).untilAsserted(() -> {
      assertThat(c.claimPhase("www-web-1")).isEqualTo("Pending");
      assertThat(ourEvents(c, "PersistentVolumeClaim", "www-web-1")).anySatisfy(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("FailedBinding");
        assertThat(e.getMessage()).contains(c.pvName("tiny"));
      });
      assertThat(ourEvents(c, "StatefulSet", "web")).anySatisfy(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("FailedBinding");
        assertThat(e.getMessage()).contains("www-web-1").contains(c.pvName("tiny"));
      });
      assertThat(gauge("ordinal_statefulset_claims_pending", c, "web")).isEqualTo(1);
      assertThat(gauge("ordinal_statefulset_claims_bound", c, "web")).isEqualTo(1);
    });
  }

  @Test
  void growthAfterAnOrphanDeleteAndReapplyGoesHighestOrdinalFirstAndAShrinkIsRefused() throws Exception {
    Cluster c = new Cluster(harness);
    StorageClass sc = Fixtures.storageClass(c.storageClass(), "kubernetes.io/no-provisioner", "Immediate", false);
    sc.setAllowVolumeExpansion(true);
    c.client().resource(sc).create();
    for (int i = 0; i < 3; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    StatefulSet sts = statefulSet(c, "web", 3, "1Gi");
    sts.getSpec().setPodManagementPolicy("Parallel");
    create(c, sts);
    awaitBoundAndReady(c, "web", 3, SLOW);
    Map<String, String> podUids = new TreeMap<>();
    IntStream.range(0, 3).forEach(i -> podUids.put("web-" + i, c.pod("web-" + i).getMetadata().getUid()));

    try (var growth = c.recordClaimsGrowingTo("2Gi")) {
      reapplyWithStorage(c, sts, "2Gi");
      await().atMost(SLOW).untilAsserted(() -> {
        for (int i = 0; i < 3; i++) {
          assertThat(c.claim("www-web-" + i).getStatus().getCapacity().get("storage")).as("capacity of www-web-" + i)
              .isEqualTo(new Quantity("2Gi"));
        }
        assertThat(gauge("ordinal_statefulset_claims_resizing", c, "web")).isZero();
      });
      assertThat(growth.names()).containsExactly("www-web-2", "www-web-1", "www-web-0");
    }
    assertThat(ourEvents(c, "StatefulSet", "web")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ResizingClaim"));

    int claimWritesBefore = claimWrites(c);
    reapplyWithStorage(c, sts, "1Gi");
    await().atMost(SLOW).untilAsserted(() -> assertThat(ourEvents(c, "StatefulSet", "web")).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("ClaimChangeRefused");
      assertThat(e.getMessage()).contains("cannot shrink");
    }));
    Thread.sleep(2_000);
    for (int i = 0; i < 3; i++) {
      assertThat(c.claim("www-web-" + i).getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("2Gi"));
    }
    assertThat(claimWrites(c)).as("claim writes after the shrink was refused").isEqualTo(claimWritesBefore);
    awaitBoundAndReady(c, "web", 3, SLOW);
    IntStream.range(0, 3).forEach(i ->
        assertThat(c.pod("web-" + i).getMetadata().getUid())
            .as("web-%d is the same pod throughout; what the cluster said about the set: %s", i, clusterEvents(c, "web"))
            .isEqualTo(podUids.get("web-" + i)));
  }

  /** The StatefulSet controller's own Events about a set (reason: message), to tell why it replaced a pod. */
  private static List<String> clusterEvents(Cluster c, String set) {
    return c.client().v1().events().inNamespace(c.ns()).list().getItems().stream()
        .filter(e -> set.equals(e.getInvolvedObject().getName()) && "StatefulSet".equals(e.getInvolvedObject().getKind()))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  /** `kubectl delete statefulset --cascade=orphan`, then `kubectl apply` with another size. */
  private static void reapplyWithStorage(Cluster c, StatefulSet sts, String size) {
    var sets = c.client().apps().statefulSets().inNamespace(c.ns());
    sets.withName(sts.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    await().atMost(SLOW).until(() -> sets.withName(sts.getMetadata().getName()).get() == null);
    StatefulSet again = statefulSet(c, sts.getMetadata().getName(), sts.getSpec().getReplicas(), size);
    again.getSpec().setPodManagementPolicy(sts.getSpec().getPodManagementPolicy());
    create(c, again);
  }

  private static int claimWrites(Cluster c) {
    return (int) requests.requests().stream().flatMap(r -> r.access().stream())
        .filter(a -> a.resource().equals("persistentvolumeclaims") && a.namespace().orElse("").equals(c.ns()))
        .filter(a -> Set.of("update", "patch").contains(a.verb()))
        .count();
  }

  @Test
  void releasedVolumeComesBackToItsOrdinalAfterAScaleDownAndUp() {
    Cluster c = new Cluster(harness);
    c.createPv("pv-0", "1Gi");
    c.createPv("pv-1", "1Gi");
    StatefulSet sts = statefulSet(c, "web", 2, "1Gi");
    sts.getMetadata().setAnnotations(Map.of(StatefulSetDefinitions.VOLUME_REUSE_ANNOTATION, "SameOrdinal"));
    create(c, sts);
    awaitBoundAndReady(c, "web", 2, SLOW);
    String volume = volumeOf(c, "www-web-1");
    // A spare volume that would win on its name if the old one were not given back.
    c.createPv("a-spare", "1Gi");

    // Scaled down and its claim deleted, as whenScaled: Delete would have it. The test deletes the
    // claim itself: with whenScaled: Delete the StatefulSet controller once left the claim without
    // the pod as owner for over a minute here, which is its business, not what this test is about.
    scale(c, "web", 1);
    await().atMost(SLOW).until(() -> c.pod("web-1") == null);
    c.client().persistentVolumeClaims().inNamespace(c.ns()).withName("www-web-1").delete();
    await().atMost(SLOW).untilAsserted(() -> {
      assertThat(c.claim("www-web-1")).as("claim deleted").isNull();
      // Released, then held for its claim at once: the claimRef keeps the name and loses the uid.
      var ref = c.client().persistentVolumes().withName(volume).get().getSpec().getClaimRef();
      assertThat(ref.getName()).isEqualTo("www-web-1");
      assertThat(ref.getUid()).isNullOrEmpty();
    });
    scale(c, "web", 2);

    awaitBoundAndReady(c, "web", 2, SLOW);
    assertThat(volumeOf(c, "www-web-1")).isEqualTo(volume);
    assertThat(c.client().persistentVolumes().withName(c.pvName("a-spare")).get().getSpec().getClaimRef()).isNull();
    assertThat(ourEvents(c, "StatefulSet", "web")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ReusingVolume"));
  }

  @Test
  void anUnlabelledStatefulSetReceivesNoRequestFromUs() {
    Cluster c = new Cluster(harness);
    c.createPv("plain-0", "1Gi");
    c.createPv("plain-1", "1Gi");
    StatefulSet plain = statefulSet(c, "plain", 2, "1Gi");
    plain.getMetadata().setLabels(Map.of("app", "plain"));

    create(c, plain);

    awaitBoundAndReady(c, "plain", 2, SLOW);
    scale(c, "plain", 1);
    await().atMost(SLOW).until(() -> c.pod("plain-1") == null);
    List<String> touching = requests.requests().stream()
        .map(r -> r.method() + " " + r.uri().getRawPath())
        .filter(p -> p.contains("/statefulsets/plain") || p.contains("www-plain-") || p.contains(c.pvName("plain-"))
            || p.contains("/pods/plain-"))
        .toList();
    assertThat(touching).as("our requests naming the unlabelled set, its pods, claims or volumes").isEmpty();
    assertThat(claimsWeCreated(c)).isEmpty();
  }

  @Test
  void operatorRestartInTheMiddleOfAScaleUpLosesNothing() {
    Cluster c = new Cluster(harness);
    int replicas = 20;
    for (int i = 0; i < replicas; i++) {
      c.createPv(String.format("pv-%02d", i), "1Gi");
    }
    StatefulSet sts = statefulSet(c, "web", 0, "1Gi");
    sts.getSpec().setPodManagementPolicy("Parallel");
    create(c, sts);

    scale(c, "web", replicas);
    await().atMost(SLOW).pollInterval(Duration.ofMillis(20))
        .until(() -> c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems().size() >= 3);
    harness.stopOperator();
    harness.startOperator(RealHarness.defaultConfig(), requests::install);

    awaitBoundAndReady(c, "web", replicas, Duration.ofSeconds(120));
    List<PersistentVolumeClaim> claims = c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems();
    assertThat(claims).hasSize(replicas);
    Set<String> volumes = new HashSet<>();
    for (PersistentVolumeClaim claim : claims) {
      PersistentVolume pv = c.client().persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
      assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo(claim.getMetadata().getName());
      assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
      volumes.add(pv.getMetadata().getName());
    }
    assertThat(volumes).as("one volume per claim").hasSize(replicas);
    assertThat(c.podNames()).hasSize(replicas);
  }
}
