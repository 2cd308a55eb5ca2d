package dev.ordinal.planning;

import static dev.ordinal.api.v1alpha1.RetentionPolicyType.Delete;
import static dev.ordinal.api.v1alpha1.RetentionPolicyType.Retain;
import static dev.ordinal.testing.ObservedStates.NOW;
import static dev.ordinal.testing.ObservedStates.SET_UID;
import static dev.ordinal.testing.ObservedStates.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.ObservedStates;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ordering and identity rules of the planner, one observed state and its expected writes per row. */
class OrdinalPlannerTest {
  private static final OrdinalPlanner PLANNER = new OrdinalPlanner();

  private static OrdinalPlan plan(ObservedStates given) {
    return PLANNER.plan(given.build());
  }

  private static List<String> described(OrdinalPlan plan) {
    return plan.actions().stream().map(Action::describe).toList();
  }

  private static OwnerReference oldPodOwns(int ordinal) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
        .withName("web-" + ordinal).withUid("uid-old-web-" + ordinal).build();
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        // creation
        arguments("claims before pods: an empty set creates the claim of web-0, then web-0",
            web(3), List.of("create claim www-web-0", "create pod web-0")),
        arguments("claims before pods: every template's claim precedes the pod",
            web(1).claimTemplates("data"), List.of("create claim www-web-0", "create claim data-web-0", "create pod web-0")),
        arguments("OrderedReady creates only the lowest missing ordinal",
            web(3).healthy(0), List.of("create claim www-web-1", "create pod web-1")),
        arguments("OrderedReady fills a gap below an existing pod first",
            web(3).healthy(0, 2), List.of("create claim www-web-1", "create pod web-1")),
        arguments("OrderedReady creates nothing while a lower pod is Pending",
            web(3).withPod(0, "Pending", false).withBoundClaim(0), List.of()),
        arguments("OrderedReady creates nothing while a lower pod is Running but not Ready",
            web(3).withPod(0, "Running", false).withBoundClaim(0), List.of()),
        arguments("OrderedReady creates nothing while a lower pod is terminating",
            web(3).healthy(0).terminating(0).healthy(1).terminating(1), List.of()),
        arguments("Parallel creates every missing ordinal at once, claims first",
            web(3).parallel(), List.of("create claim www-web-0", "create claim www-web-1", "create claim www-web-2",
                "create pod web-0", "create pod web-1", "create pod web-2")),
        arguments("Parallel does not wait for an unready lower pod",
            web(3).parallel().withPod(0, "Pending", false).withBoundClaim(0),
            List.of("create claim www-web-1", "create claim www-web-2", "create pod web-1", "create pod web-2")),
        // ordinals.start
        arguments("ordinals.start 2 with 3 replicas starts at web-2",
            web(3).start(2), List.of("create claim www-web-2", "create pod web-2")),
        arguments("ordinals.start 2 with 3 replicas ends at web-4",
            web(3).start(2).healthy(2, 3), List.of("create claim www-web-4", "create pod web-4")),
        arguments("ordinals.start 2, Parallel: web-2, web-3 and web-4",
            web(3).start(2).parallel(), List.of("create claim www-web-2", "create claim www-web-3", "create claim www-web-4",
                "create pod web-2", "create pod web-3", "create pod web-4")),
        arguments("ordinals.start 2 condemns pods below the start, highest first",
            web(3).start(2).healthy(0, 1, 2, 3, 4), List.of("delete pod web-1 (scale down)")),
        arguments("ordinals.start 2 with everything in place is converged",
            web(3).start(2).healthy(2, 3, 4), List.of()),
        // scale-down
        arguments("OrderedReady scale-down deletes the highest ordinal, one at a time",
            web(2).healthy(0, 1, 2, 3, 4), List.of("delete pod web-4 (scale down)")),
        arguments("OrderedReady scale-down waits while a desired pod is unready",
            web(2).healthy(0, 2, 3).withPod(1, "Running", false).withBoundClaim(1), List.of()),
        arguments("OrderedReady scale-down waits while a desired pod is missing (it is created first)",
            web(2).healthy(1, 2), List.of("create claim www-web-0", "create pod web-0")),
        arguments("OrderedReady scale-down waits while a condemned pod terminates",
            web(2).healthy(0, 1, 2, 3, 4).terminating(4), List.of()),
        arguments("Parallel scale-down deletes every condemned pod, highest first",
            web(2).parallel().healthy(0, 1, 2, 3, 4),
            List.of("delete pod web-4 (scale down)", "delete pod web-3 (scale down)", "delete pod web-2 (scale down)")),
        arguments("Parallel scale-down does not wait for unready desired pods",
            web(1).parallel().withPod(0, "Pending", false).withBoundClaim(0).healthy(1, 2),
            List.of("delete pod web-2 (scale down)", "delete pod web-1 (scale down)")),
        arguments("Parallel scale-down skips a condemned pod that is already terminating",
            web(1).parallel().healthy(0, 1, 2).terminating(2), List.of("delete pod web-1 (scale down)")),
        arguments("scale to zero deletes the highest pod first",
            web(0).healthy(0, 1), List.of("delete pod web-1 (scale down)")),
        // broken pods and claims
        arguments("a Failed pod is deleted so it can be recreated",
            web(1).withPod(0, "Failed", false).withBoundClaim(0),
            List.of("delete pod web-0 (phase Failed, recreating it with the same claims)")),
        arguments("a Succeeded pod is deleted so it can be recreated",
            web(1).withPod(0, "Succeeded", false).withBoundClaim(0),
            List.of("delete pod web-0 (phase Succeeded, recreating it with the same claims)")),
        arguments("a deleted pod is recreated on its existing claims, no claim is created",
            web(1).withBoundClaim(0), List.of("create pod web-0")),
        arguments("a Pending pod whose claim is missing gets the claim recreated",
            web(1).withPod(0, "Pending", false), List.of("create claim www-web-0")),
        arguments("no pod while one of its claims is being deleted",
            web(1).withBoundClaim(0).claimsDeleting(0), List.of()),
        arguments("OrderedReady creates nothing above an ordinal whose claim is being deleted",
            web(2).withBoundClaim(0).claimsDeleting(0), List.of()),
        arguments("a claim still owned by a deleted pod is taken back first, its pod waits for that (whenScaled Delete)",
            web(1).retention(Retain, Delete).withBoundClaim(0).claimsOwnedBy(0, oldPodOwns(0)),
            List.of("set owners of claim www-web-0 to []")),
        arguments("a Pending claim with a fitting volume is bound to it",
            web(1).withPod(0, "Pending", false).withPendingClaim(0).withVolume(Fixtures.pv("pv-a", "1Gi", "manual")),
            List.of("bind claim www-web-0 to volume pv-a")),
        // retention
        arguments("whenDeleted Delete: SetClaimOwners adds the set to a claim that lacks it",
            web(1).retention(Delete, Retain).healthy(0).claimsOwnedBy(0),
            List.of("set owners of claim www-web-0 to [OrdinalSet/web]")),
        arguments("whenDeleted Retain: SetClaimOwners removes the set from a claim it owns",
            web(1).healthy(0).claimsOwnedBy(0, OwnerRefs.setOwnsClaim("web", SET_UID)),
            List.of("set owners of claim www-web-0 to []")),
        arguments("whenScaled Delete: the condemned pod owns its claim before it is deleted",
            web(1).retention(Retain, Delete).healthy(0, 1),
            List.of("set owners of claim www-web-1 to [Pod/web-1]", "delete pod web-1 (scale down)")),
        arguments("whenScaled Delete under whenDeleted Delete: the condemned pod alone owns its claim (a live set owner would keep it)",
            web(1).retention(Delete, Delete).healthy(0, 1),
            List.of("set owners of claim www-web-1 to [Pod/web-1]", "delete pod web-1 (scale down)")),
        arguments("whenScaled Delete: owners already in place are not rewritten while the condemned pod terminates",
            web(1).retention(Delete, Delete).healthy(0, 1).terminating(1).claimsOwnedBy(1, podOwns(1)),
            List.of()),
        arguments("whenScaled Delete: a scaled-away claim owned by the set beside its pod loses the set (left so by earlier versions)",
            web(1).retention(Delete, Delete).healthy(0).withBoundClaim(1)
                .claimsOwnedBy(1, OwnerRefs.setOwnsClaim("web", SET_UID), oldPodOwns(1)),
            List.of("set owners of claim www-web-1 to [Pod/web-1]")),
        arguments("a desired ordinal's claim loses a pod owner left by an interrupted scale-down (else the GC deletes it with the pod)",
            web(2).retention(Retain, Delete).healthy(0, 1).claimsOwnedBy(1, podOwns(1)),
            List.of("set owners of claim www-web-1 to []")),
        arguments("whenScaled Retain: a condemned pod goes, its claim stays unowned",
            web(1).healthy(0, 1), List.of("delete pod web-1 (scale down)")),
        arguments("a claim controlled by another object keeps its owners",
            web(1).retention(Delete, Delete).healthy(0, 1).claimsOwnedBy(1, statefulSetControls()),
            List.of("delete pod web-1 (scale down)")),
        // converged
        arguments("a converged set needs nothing", web(3).healthy(0, 1, 2), List.of()),
        arguments("a converged Parallel set needs nothing", web(3).parallel().healthy(0, 1, 2), List.of()),
        arguments("a converged set with Delete retention needs nothing",
            web(2).retention(Delete, Delete).healthy(0, 1), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void plansTheNextWrites(String behaviour, ObservedStates given, List<String> expected) {
    assertThat(described(plan(given))).containsExactlyElementsOf(expected);
  }

  private static OwnerReference podOwns(int ordinal) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
        .withName("web-" + ordinal).withUid(ObservedStates.podUid("web", ordinal)).build();
  }

  private static OwnerReference statefulSetControls() {
    return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
        .withName("legacy").withUid("uid-legacy").withController(true).build();
  }

  @Test
  void createdPodMountsExactlyItsOwnClaimsAndIsControlledByTheSet() {
    OrdinalPlan plan = plan(web(3).start(2).claimTemplates("data"));

    Action.CreatePod create = (Action.CreatePod) plan.actions().get(2);
    assertThat(create.ordinal()).isEqualTo(2);
    assertThat(create.pod().getMetadata().getName()).isEqualTo("web-2");
    assertThat(create.pod().getSpec().getHostname()).isEqualTo("web-2");
    assertThat(create.pod().getSpec().getSubdomain()).isEqualTo("nginx");
    assertThat(create.pod().getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .extracting(Volume::getName, v -> v.getPersistentVolumeClaim().getClaimName())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("www", "www-web-2"),
            org.assertj.core.groups.Tuple.tuple("data", "data-web-2"));
    assertThat(OwnerRefs.isControlledBy(create.pod().getMetadata().getOwnerReferences(), SET_UID)).isTrue();
  }

  static Stream<Arguments> minReadySeconds() {
    return Stream.of(
        arguments("Ready 4s of 10: wait 6s more", 4, List.of(), Duration.ofSeconds(6)),
        arguments("Ready 9s of 10: wait 1s more", 9, List.of(), Duration.ofSeconds(1)),
        arguments("Ready exactly 10s: available, next pod is created", 10, List.of("create claim www-web-1", "create pod web-1"), null),
        arguments("Ready 60s: available, next pod is created", 60, List.of("create claim www-web-1", "create pod web-1"), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("minReadySeconds")
  void orderedReadyWaitsForMinReadySecondsAndRequeuesWhenTheyEnd(String behaviour, int readyFor, List<String> expected, Duration requeue) {
    OrdinalPlan plan = plan(web(2).minReadySeconds(10).withPod(0, "Running", true, NOW.minusSeconds(readyFor)).withBoundClaim(0));

    assertThat(described(plan)).containsExactlyElementsOf(expected);
    assertThat(plan.requeueAfter()).isEqualTo(java.util.Optional.ofNullable(requeue));
  }

  @Test
  void orderedReadyRequeuesAtTheFirstPodToBecomeAvailable() {
    OrdinalPlan plan = plan(web(2).parallel().minReadySeconds(10)
        .withPod(0, "Running", true, NOW.minusSeconds(2)).withBoundClaim(0)
        .withPod(1, "Running", true, NOW.minusSeconds(7)).withBoundClaim(1));

    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(3));
    assertThat(plan.isConverged()).isFalse();
  }

  @Test
  void whenDeletedDeleteCreatesClaimsOwnedButNotControlledByTheSet() {
    OrdinalPlan plan = plan(web(1).retention(Delete, Retain));

    Action.CreateClaim create = (Action.CreateClaim) plan.actions().get(0);
    assertThat(create.claim().getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getUid()).isEqualTo(SET_UID);
      assertThat(ref.getKind()).isEqualTo("OrdinalSet");
      assertThat(ref.getController()).isNotEqualTo(Boolean.TRUE);
    });
  }

  @Test
  void whenDeletedRetainCreatesUnownedClaims() {
    Action.CreateClaim create = (Action.CreateClaim) plan(web(1)).actions().get(0);

    assertThat(create.claim().getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void claimControlledByAnotherObjectGetsAConflictingControllerEventAndNoOwnerChange() {
    OrdinalPlan plan = plan(web(1).retention(Delete, Retain).healthy(0).claimsOwnedBy(0, statefulSetControls()));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventNote.CONFLICTING_CONTROLLER);
      assertThat(e.type()).isEqualTo(EventNote.Type.Warning);
      assertThat(e.object().name()).isEqualTo("www-web-0");
      assertThat(e.message()).contains("StatefulSet/legacy");
    });
  }

  @Test
  void pendingClaimThatCannotBindIsReportedAsStorageProblemEventAndStuck() {
    OrdinalPlan plan = plan(web(1).withPod(0, "Pending", false).withPendingClaim(0)
        .withVolume(Fixtures.pv("pv-small", "512Mi", "manual")));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.storageProblems()).singleElement().asString().contains("www-web-0").contains("pv-small");
    assertThat(plan.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventNote.FAILED_BINDING);
      assertThat(e.object().kind()).isEqualTo("PersistentVolumeClaim");
      assertThat(e.object().name()).isEqualTo("www-web-0");
    });
    assertThat(plan.stuck()).hasValueSatisfying(s -> assertThat(s).contains("web-0").contains("www-web-0"));
    assertThat(plan.isConverged()).isFalse();
  }

  @Test
  void seedsFailureCase_onePvTwoReplicas_secondClaimStaysPendingAndSaysWhy() {
    // web-0 is up on the only PV; web-1's claim exists, Pending, and nothing fits it.
    OrdinalPlan plan = plan(web(2).healthy(0).withPod(1, "Pending", false).withPendingClaim(1));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.storageProblems()).singleElement().asString().contains("www-web-1");
    assertThat(plan.stuck()).isPresent();
  }

  @Test
  void newClaimWithAFittingVolumeIsCreatedReservingItAndNamingIt() {
    OrdinalPlan plan = plan(web(1).withVolume(Fixtures.pv("pv-big", "10Gi", "manual")).withVolume(Fixtures.pv("pv-a", "1Gi", "manual")));

    assertThat(described(plan)).containsExactly("create claim www-web-0 on volume pv-a", "create pod web-0");
    Action.CreateClaim create = (Action.CreateClaim) plan.actions().get(0);
    assertThat(create.claim().getSpec().getVolumeName()).isEqualTo("pv-a");
    assertThat(create.reserve()).hasValueSatisfying(pv -> {
      assertThat(pv.getMetadata().getName()).isEqualTo("pv-a");
      assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("www-web-0");
      assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo(ObservedStates.NS);
    });
  }

  @Test
  void parallelNewClaimsNeverShareAVolume() {
    OrdinalPlan plan = plan(web(2).parallel().withVolume(Fixtures.pv("pv-a", "1Gi", "manual")).withVolume(Fixtures.pv("pv-b", "1Gi", "manual")));

    assertThat(described(plan)).containsExactly(
        "create claim www-web-0 on volume pv-a", "create claim www-web-1 on volume pv-b", "create pod web-0", "create pod web-1");
  }

  @Test
  void convergedSetHasNoActionsNoWaitsNoRequeue() {
    OrdinalPlan plan = plan(web(3).minReadySeconds(5).healthy(0, 1, 2));

    assertThat(plan.isConverged()).as("actions %s, waits %s", plan.actions(), plan.waits()).isTrue();
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.waits()).isEmpty();
    assertThat(plan.stuck()).isEmpty();
    assertThat(plan.storageProblems()).isEmpty();
    assertThat(plan.requeueAfter()).isEmpty();
  }

  @Test
  void waitingSetsSayWhy() {
    assertThat(plan(web(2).withPod(0, "Running", false).withBoundClaim(0)).waits())
        .anySatisfy(w -> assertThat(w).contains("web-0").contains("not Ready"));
    assertThat(plan(web(1).withBoundClaim(0).claimsDeleting(0)).waits())
        .anySatisfy(w -> assertThat(w).contains("www-web-0").contains("being deleted"));
    assertThat(plan(web(1).retention(Retain, Delete).withBoundClaim(0).claimsOwnedBy(0, oldPodOwns(0))).waits())
        .anySatisfy(w -> assertThat(w).contains("www-web-0").contains("owned by a deleted pod"));
  }

  // ---- claim ownership takeover (KEP-1847; issue 13, fault seed 90) ----

  private static Action.SetClaimOwners onlyOwnerWrite(OrdinalPlan plan) {
    assertThat(plan.actions()).singleElement().isInstanceOf(Action.SetClaimOwners.class);
    return (Action.SetClaimOwners) plan.actions().get(0);
  }

  @Test
  void claimStillOwnedByADeletedPodIsTakenBackWhenTheOrdinalIsWantedAgain() {
    // scale 3 -> 1 -> 5 before the garbage collector deleted www-web-1, which the condemned web-1 owned
    OrdinalPlan plan = plan(web(5).retention(Delete, Delete).healthy(0).withBoundClaim(1).claimsOwnedBy(1, oldPodOwns(1)));

    Action.SetClaimOwners takeBack = onlyOwnerWrite(plan);
    assertThat(takeBack.claimName()).isEqualTo("www-web-1");
    assertThat(takeBack.owners()).as("the stale pod owner goes, the set's retention owner comes")
        .singleElement().satisfies(ref -> {
          assertThat(ref.getUid()).isEqualTo(SET_UID);
          assertThat(ref.getController()).isNotEqualTo(Boolean.TRUE);
        });
    assertThat(takeBack.resourceVersion()).as("guarded: if the collector deleted the claim meanwhile, the write fails").isNotNull();
    assertThat(plan.waits()).anySatisfy(w -> assertThat(w).contains("www-web-1").contains("taking it back").contains("web-1"));
  }

  @Test
  void claimTakenBackUnderWhenDeletedRetainIsLeftWithoutOwners() {
    OrdinalPlan plan = plan(web(2).retention(Retain, Delete).healthy(0).withBoundClaim(1).claimsOwnedBy(1, oldPodOwns(1)));

    assertThat(onlyOwnerWrite(plan).owners()).isEmpty();
  }

  @Test
  void claimTakenBackIsReusedByItsRecreatedPod() {
    OrdinalPlan plan = plan(web(2).retention(Delete, Delete).healthy(0).withBoundClaim(1)
        .claimsOwnedBy(1, OwnerRefs.setOwnsClaim("web", SET_UID)));

    assertThat(described(plan)).containsExactly("create pod web-1");
  }

  @Test
  void claimTheCollectorDeletedFirstIsCreatedAnewForTheWantedOrdinal() {
    assertThat(described(plan(web(2).retention(Delete, Delete).healthy(0).withBoundClaim(1)
        .claimsOwnedBy(1, oldPodOwns(1)).claimsDeleting(1))))
        .as("while the collector's delete is in progress the ordinal waits for the claim to be gone")
        .isEmpty();
    assertThat(described(plan(web(2).retention(Delete, Delete).healthy(0))))
        .containsExactly("create claim www-web-1", "create pod web-1");
  }

  @Test
  void claimOwnedByADeletedPodWhileANewPodOfTheSameNameRunsIsTakenBack() {
    // owners are told apart by uid: the reference names web-1, but a web-1 that no longer exists
    OrdinalPlan plan = plan(web(2).retention(Delete, Delete).healthy(0, 1)
        .claimsOwnedBy(1, OwnerRefs.setOwnsClaim("web", SET_UID), oldPodOwns(1)));

    assertThat(onlyOwnerWrite(plan).owners()).extracting(OwnerReference::getUid).containsExactly(SET_UID);
  }

  @Test
  void claimOfAWantedOrdinalWhosePodIsStillTerminatingIsTakenBack() {
    OrdinalPlan plan = plan(web(2).retention(Retain, Delete).healthy(0, 1).terminating(1).claimsOwnedBy(1, podOwns(1)));

    assertThat(onlyOwnerWrite(plan).owners()).isEmpty();
  }

  @Test
  void condemningAPodWritesItsClaimsOwnersOnceEvenWhenTheyWereAlsoOutOfPolicy() {
    // www-web-1 names an older web-1 and the set: both the retention pass and the condemning pass
    // would rewrite it; two writes at one resourceVersion would conflict and hold back the deletion
    OrdinalPlan plan = plan(web(1).retention(Delete, Delete).healthy(0, 1)
        .claimsOwnedBy(1, OwnerRefs.setOwnsClaim("web", SET_UID), oldPodOwns(1)));

    assertThat(described(plan)).containsExactly("set owners of claim www-web-1 to [Pod/web-1]", "delete pod web-1 (scale down)");
    assertThat(((Action.SetClaimOwners) plan.actions().get(0)).owners()).extracting(OwnerReference::getUid)
        .containsExactly(ObservedStates.podUid("web", 1));
  }

  @Test
  void podStuckUnreadyBelowThePartitionOnARevisionThatIsNeitherCurrentNorUpdateIsReplaced() {
    // fault seeds 111 and 174: a broken rollout reached web-0, then the partition was raised above it
    var built = web(2).editSet(s -> s.getSpec().setUpdateStrategy(new dev.ordinal.api.v1alpha1.UpdateStrategy(
            dev.ordinal.api.v1alpha1.UpdateStrategyType.RollingUpdate, new dev.ordinal.api.v1alpha1.RollingUpdate(1, null))))
        .withPod(0, "Pending", false).withBoundClaim(0).healthy(1).build();
    var pods = new java.util.TreeMap<>(built.pods());
    var broken = new io.fabric8.kubernetes.api.model.PodBuilder(pods.get(0)).editMetadata()
        .addToLabels(dev.ordinal.naming.Labels.REVISION_HASH, "web-broken").endMetadata().build();
    pods.put(0, broken);
    var state = new dev.ordinal.observe.ObservedState(built.set(), pods, built.claims(), built.volumes(), built.storageClasses(),
        built.nodes(), built.revisions(), built.now());

    assertThat(PLANNER.plan(state).actions()).singleElement().satisfies(a ->
        assertThat(a.describe()).startsWith("delete pod web-0 (not Ready on revision web-broken"));
  }
}
