package dev.ordinal.binding;

import static dev.ordinal.binding.Fixtures.claim;
import static dev.ordinal.binding.Fixtures.fieldTerm;
import static dev.ordinal.binding.Fixtures.node;
import static dev.ordinal.binding.Fixtures.pv;
import static dev.ordinal.binding.Fixtures.requirement;
import static dev.ordinal.binding.Fixtures.storageClass;
import static dev.ordinal.binding.Fixtures.term;
import static dev.ordinal.binding.Fixtures.volumes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ordinal.binding.BindingDecision.AlreadyBound;
import dev.ordinal.binding.BindingDecision.AwaitConsumer;
import dev.ordinal.binding.BindingDecision.AwaitProvisioning;
import dev.ordinal.binding.BindingDecision.CompleteBind;
import dev.ordinal.binding.BindingDecision.Reserve;
import dev.ordinal.binding.BindingDecision.Unbindable;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decisions beyond "which volume": several claims, named volumes, classes, nodes, bound claims. */
class ClaimBinderTest {
  private static final StorageClasses CLASSES =
      StorageClasses.of(
          List.of(
              storageClass("local", StorageClasses.NO_PROVISIONER, "WaitForFirstConsumer"),
              storageClass("static", StorageClasses.NO_PROVISIONER, "Immediate"),
              storageClass("csi", "ebs.csi.aws.com", "Immediate"),
              storageClass("csi-wffc", "ebs.csi.aws.com", "WaitForFirstConsumer")));

  private static final Map<String, Node> NODES =
      Map.of(
          "node-a", node("node-a", "kubernetes.io/hostname", "node-a", "zone", "a", "cores", "8"),
          "node-b", node("node-b", "kubernetes.io/hostname", "node-b", "zone", "b", "cores", "2"));

  private static List<BindingDecision> decide(List<PersistentVolume> pvs, ClaimToBind... claims) {
    return new ClaimBinder(CLASSES, NODES).decide(List.of(claims), VolumeIndex.of(pvs));
  }

  private static String reservedName(BindingDecision decision) {
    assertThat(decision).isInstanceOf(Reserve.class);
    return ((Reserve) decision).volume().getMetadata().getName();
  }

  @Test
  void twoClaimsNeverShareAVolume() {
    List<BindingDecision> decisions =
        decide(volumes(pv("pv-a"), pv("pv-b")), claim("www-web-0").toBind(), claim("www-web-1").toBind());

    assertThat(decisions).extracting(ClaimBinderTest::reservedName).containsExactly("pv-a", "pv-b");
  }

  @Test
  void claimDecidedLaterFindsVolumesTakenEarlierInThePass() {
    List<BindingDecision> decisions =
        decide(volumes(pv("pv-a")), claim("www-web-0").toBind(), claim("www-web-1").toBind());

    assertThat(reservedName(decisions.get(0))).isEqualTo("pv-a");
    assertThat(decisions.get(1)).isInstanceOf(Unbindable.class);
    assertThat(((Unbindable) decisions.get(1)).message())
        .contains("pv-a is chosen for claim default/www-web-0 in this pass");
  }

  @Test
  void decisionsComeBackOnePerClaimInOrder() {
    List<BindingDecision> decisions =
        decide(volumes(pv("pv-a")), claim("b").storageClass("csi").toBind(), claim("a").toBind());

    assertThat(decisions).extracting(BindingDecision::claimName).containsExactly("b", "a");
  }

  @Test
  void volumeNamedByALaterClaimIsKeptForIt() {
    List<BindingDecision> decisions =
        decide(
            volumes(pv("pv-a"), pv("pv-b")),
            claim("first").toBind(),
            claim("second").volumeName("pv-a").toBind());

    assertThat(reservedName(decisions.get(0))).isEqualTo("pv-b");
    assertThat(reservedName(decisions.get(1))).isEqualTo("pv-a");
  }

  static Stream<Arguments> namedVolumes() {
    return Stream.of(
        arguments("preBoundClaimTakesItsFittingVolumeOverASmallerOne",
            volumes(pv("pv-small"), pv("pv-named").capacity("10Gi")), "pv-named", "Reserve", "pv-named"),
        arguments("preBoundClaimStaysPendingWhenItsVolumeIsTooSmall",
            volumes(pv("pv-other").capacity("5Gi"), pv("pv-named").capacity("500Mi")), "pv-named", "Unbindable",
            "names PersistentVolume pv-named, which does not fit: capacity 500Mi < 1Gi"),
        arguments("preBoundClaimStaysPendingWhenItsVolumeIsClaimedElsewhere",
            volumes(pv("pv-named").claimRef("other", "u9").phase("Bound")), "pv-named", "Unbindable",
            "which does not fit: claimed by default/other"),
        arguments("preBoundClaimStaysPendingWhenItsVolumeDoesNotExist",
            volumes(pv("pv-a")), "pv-gone", "Unbindable", "names PersistentVolume pv-gone, which does not exist"),
        arguments("preBoundClaimWhoseVolumeNamesItCompletesTheBind",
            volumes(pv("pv-named").claimRef("c", null)), "pv-named", "CompleteBind", "pv-named"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namedVolumes")
  void claimWithVolumeNameBindsOnlyToThatVolume(
      String behaviour, List<PersistentVolume> pvs, String volumeName, String kind, String detail) {
    BindingDecision decision = decide(pvs, claim("c").volumeName(volumeName).toBind()).get(0);

    assertThat(decision.getClass().getSimpleName()).isEqualTo(kind);
    switch (decision) {
      case Reserve r -> assertThat(r.volume().getMetadata().getName()).isEqualTo(detail);
      case CompleteBind b -> assertThat(b.volume().getMetadata().getName()).isEqualTo(detail);
      case Unbindable u -> assertThat(u.message()).contains(detail);
      default -> throw new AssertionError(decision);
    }
  }

  static Stream<Arguments> waitForFirstConsumer() {
    PersistentVolume zoneA =
        pv("pv-zone-a").storageClass("local").nodeAffinity(term(requirement("zone", "In", "a"))).build();
    PersistentVolume onNodeB =
        pv("pv-node-b").storageClass("local")
            .nodeAffinity(term(requirement("kubernetes.io/hostname", "In", "node-b"))).build();
    PersistentVolume byField =
        pv("pv-field").storageClass("local")
            .nodeAffinity(fieldTerm(requirement("metadata.name", "In", "node-x"))).build();
    PersistentVolume bigNodes =
        pv("pv-big-nodes").storageClass("local").nodeAffinity(term(requirement("cores", "Gt", "4"))).build();
    return Stream.of(
        arguments("waitsForConsumerWhileThePodHasNoNode", List.of(zoneA), null, "AwaitConsumer"),
        arguments("bindsVolumeWhoseAffinityAdmitsThePodsNode", List.of(zoneA), "node-a", "pv-zone-a"),
        arguments("neverBindsVolumeWhoseAffinityExcludesThePodsNode", List.of(zoneA), "node-b", "Unbindable"),
        arguments("picksTheVolumeOfThePodsNodeAmongSeveral", List.of(zoneA, onNodeB), "node-b", "pv-node-b"),
        arguments("unknownNodeMatchesOnHostnameLabel",
            List.of(pv("pv-x").storageClass("local")
                .nodeAffinity(term(requirement("kubernetes.io/hostname", "In", "node-x"))).build()),
            "node-x", "pv-x"),
        arguments("unknownNodeMatchesOnNodeNameField", List.of(byField), "node-x", "pv-field"),
        arguments("unknownNodeHasNoOtherLabels", List.of(zoneA), "node-x", "Unbindable"),
        arguments("gtComparesLabelAsInteger", List.of(bigNodes), "node-a", "pv-big-nodes"),
        arguments("gtRejectsSmallerInteger", List.of(bigNodes), "node-b", "Unbindable"),
        arguments("volumeWithoutAffinityFitsAnyNode", volumes(pv("pv-any").storageClass("local")), "node-b", "pv-any"),
        arguments("preBoundVolumeBindsBeforeTheConsumerHasANode",
            volumes(pv("pv-mine").storageClass("local").claimRef("c", null)), null, "pv-mine"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("waitForFirstConsumer")
  void waitForFirstConsumerBindsOnlyToVolumesReachableFromThePodsNode(
      String behaviour, List<PersistentVolume> pvs, String nodeName, String expected) {
    BindingDecision decision = decide(pvs, claim("c").storageClass("local").onNode(nodeName)).get(0);

    switch (expected) {
      case "AwaitConsumer" -> assertThat(decision).isEqualTo(new AwaitConsumer("c"));
      case "Unbindable" -> assertThat(decision).isInstanceOf(Unbindable.class);
      default -> assertThat(reservedName(decision)).isEqualTo(expected);
    }
  }

  @Test
  void nodeAffinityMismatchIsExplained() {
    Unbindable decision =
        (Unbindable)
            decide(
                    List.of(pv("pv-zone-a").storageClass("local")
                        .nodeAffinity(term(requirement("zone", "In", "a"))).build()),
                    claim("c").storageClass("local").onNode("node-b"))
                .get(0);

    assertThat(decision.message()).contains("pv-zone-a: node affinity does not admit node node-b");
  }

  @Test
  void nodeAffinityIsIgnoredForImmediateClasses() {
    List<PersistentVolume> pvs =
        List.of(pv("pv-zone-a").storageClass("static").nodeAffinity(term(requirement("zone", "In", "a"))).build());

    assertThat(reservedName(decide(pvs, claim("c").storageClass("static").onNode("node-b")).get(0)))
        .isEqualTo("pv-zone-a");
  }

  static Stream<Arguments> provisioning() {
    return Stream.of(
        arguments("leavesClaimToProvisionerWhenNothingFits", "csi", null, new AwaitProvisioning("c", "ebs.csi.aws.com")),
        arguments("leavesWaitForConsumerClaimToProvisionerOnceScheduled", "csi-wffc", "node-a",
            new AwaitProvisioning("c", "ebs.csi.aws.com")),
        arguments("waitsForConsumerBeforeProvisioning", "csi-wffc", null, new AwaitConsumer("c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("provisioning")
  void dynamicProvisioningTakesOverWhenNoStaticVolumeFits(
      String behaviour, String storageClass, String nodeName, BindingDecision expected) {
    BindingDecision decision =
        decide(volumes(pv("pv-small").storageClass(storageClass).capacity("1Mi")),
                claim("c").storageClass(storageClass).onNode(nodeName))
            .get(0);

    assertThat(decision).isEqualTo(expected);
  }

  @Test
  void staticVolumeIsPreferredOverProvisioning() {
    assertThat(reservedName(decide(volumes(pv("pv-a").storageClass("csi")), claim("c").storageClass("csi").toBind()).get(0)))
        .isEqualTo("pv-a");
  }

  @Test
  void noProvisionerClassLeavesClaimUnbindable() {
    assertThat(decide(volumes(), claim("c").storageClass("static").toBind()).get(0)).isInstanceOf(Unbindable.class);
  }

  @Test
  void classWithoutStorageClassObjectIsStaticOnly() {
    assertThat(decide(volumes(), claim("c").storageClass("manual").toBind()).get(0)).isInstanceOf(Unbindable.class);
  }

  static Stream<Arguments> boundClaims() {
    return Stream.of(
        arguments("claimBoundByUsIsAlreadyBound",
            pv("pv-a").phase("Bound").claimRef("c", "u1"),
            claim("c").uid("u1").phase("Bound").volumeName("pv-a")
                .annotation(BindWrites.BOUND_BY_CONTROLLER, "yes").annotation(BindWrites.BIND_COMPLETED, "yes"),
            new AlreadyBound("c", "pv-a")),
        arguments("claimBoundByTheClustersPvControllerIsAlreadyBound",
            pv("pv-a").phase("Bound").claimRef("c", "u1"),
            claim("c").uid("u1").phase("Bound").volumeName("pv-a").annotation(BindWrites.BIND_COMPLETED, "yes"),
            new AlreadyBound("c", "pv-a")),
        arguments("boundClaimWhoseVolumeIsUnknownIsRespected",
            pv("pv-other"),
            claim("c").uid("u1").phase("Bound").volumeName("pv-gone"),
            new AlreadyBound("c", "pv-gone")),
        arguments("boundClaimWhoseVolumeNamesAnotherClaimIsNeverRebound",
            pv("pv-a").phase("Bound").claimRef("someone-else", "u7"),
            claim("c").uid("u1").phase("Bound").volumeName("pv-a"),
            new AlreadyBound("c", "pv-a")),
        arguments("halfDoneBindWithoutUidIsCompleted",
            pv("pv-a").phase("Available").claimRef("c", null),
            claim("c").uid("u1").phase("Pending").volumeName("pv-a"),
            "CompleteBind"),
        arguments("boundClaimWhoseVolumeIsNotBoundYetIsCompleted",
            pv("pv-a").phase("Available").claimRef("c", "u1"),
            claim("c").uid("u1").phase("Bound").volumeName("pv-a"),
            "CompleteBind"),
        arguments("boundClaimWhoseVolumeLacksTheUidIsCompleted",
            pv("pv-a").phase("Bound").claimRef("c", null),
            claim("c").uid("u1").phase("Bound").volumeName("pv-a"),
            "CompleteBind"),
        arguments("volumeReservedButClaimNotPointedYetIsReservedAgain",
            pv("pv-a").phase("Bound").claimRef("c", "u1").capacity("5Gi"),
            claim("c").uid("u1").phase("Pending"),
            "Reserve"),
        arguments("lostClaimIsNeverRebound",
            pv("pv-free"),
            claim("c").uid("u1").phase("Lost").volumeName("pv-gone"),
            "Unbindable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("boundClaims")
  void boundAndHalfBoundClaimsAreRespectedOrFinished(
      String behaviour, Fixtures.Pv volume, Fixtures.Claim claim, Object expected) {
    List<PersistentVolume> pvs = List.of(volume.build(), pv("pv-spare").capacity("10Gi").build());

    BindingDecision decision = decide(pvs, claim.toBind()).get(0);

    if (expected instanceof BindingDecision exact) {
      assertThat(decision).isEqualTo(exact);
    } else {
      assertThat(decision.getClass().getSimpleName()).isEqualTo(expected);
      if (decision instanceof CompleteBind complete) {
        assertThat(complete.volume().getMetadata().getName()).isEqualTo("pv-a");
      }
      if (decision instanceof Reserve reserve) {
        assertThat(reserve.volume().getMetadata().getName()).isEqualTo("pv-a");
      }
    }
  }

  @Test
  void volumeOfABoundClaimIsNeverOfferedToAnotherClaimInThePass() {
    // Even if the volume's status lags (still Available), a claim naming it holds it.
    List<PersistentVolume> pvs = volumes(pv("pv-a").claimRef("c0", null));

    List<BindingDecision> decisions =
        decide(pvs, claim("c0").uid("u0").phase("Bound").volumeName("pv-a").toBind(), claim("c1").toBind());

    assertThat(decisions.get(0)).isInstanceOf(CompleteBind.class);
    assertThat(decisions.get(1)).isInstanceOf(Unbindable.class);
  }

  @Test
  void seedsFailureCaseSaysTheOnlyVolumeIsClaimedByTheFirstReplica() {
    // One hostPath PV (manual, 1Gi, RWO, Recycle) and two replicas: www-web-0 holds it.
    List<PersistentVolume> pvs = volumes(pv("pv-a").phase("Bound").claimRef("www-web-0", "uid-0"));

    List<BindingDecision> decisions =
        decide(
            pvs,
            claim("www-web-0").uid("uid-0").phase("Bound").volumeName("pv-a").toBind(),
            claim("www-web-1").toBind());

    assertThat(decisions.get(0)).isEqualTo(new AlreadyBound("www-web-0", "pv-a"));
    Unbindable unbindable = (Unbindable) decisions.get(1);
    assertThat(unbindable.message())
        .isEqualTo(
            "no PersistentVolume fits claim default/www-web-1 (manual, 1Gi, [ReadWriteOnce]):"
                + " pv-a is claimed by default/www-web-0");
    assertThat(unbindable.closest())
        .containsExactly(new VolumeMismatch("pv-a", List.of("claimed by default/www-web-0")));
  }

  @Test
  void explanationRanksFewestFailingRulesThenNearestCapacity() {
    List<PersistentVolume> pvs =
        volumes(
            pv("pv-far").capacity("100Mi"),
            pv("pv-near").capacity("900Mi"),
            pv("pv-two-wrongs").capacity("800Mi").modes(Fixtures.ROX),
            pv("pv-fast").storageClass("fast").capacity("2Gi").modes(Fixtures.ROX).volumeMode("Block"),
            pv("pv-released").phase("Released").claimRef("old", "u0"));

    Unbindable unbindable = (Unbindable) decide(pvs, claim("c").toBind()).get(0);

    assertThat(unbindable.closest())
        .extracting(VolumeMismatch::volumeName)
        .containsExactly("pv-released", "pv-near", "pv-far");
    assertThat(unbindable.message())
        .isEqualTo(
            "no PersistentVolume fits claim default/c (manual, 1Gi, [ReadWriteOnce]):"
                + " pv-released is claimed by default/old (Released); pv-near: capacity 900Mi < 1Gi;"
                + " pv-far: capacity 100Mi < 1Gi; 1 other PersistentVolume fits less well");
    assertThat(unbindable.closest().get(1).lacks()).containsExactly("capacity 900Mi < 1Gi");
  }

  @Test
  void explanationListsEveryLackOfAVolume() {
    Unbindable unbindable =
        (Unbindable)
            decide(
                    volumes(pv("pv-fast").storageClass("fast").capacity("500Mi").modes(Fixtures.ROX).volumeMode("Block")
                        .label("tier", "web")),
                    claim("c").selector(Fixtures.matchLabels("tier", "db")).toBind())
                .get(0);

    assertThat(unbindable.closest().get(0).lacks())
        .containsExactly(
            "class fast != manual",
            "capacity 500Mi < 1Gi",
            "access modes [ReadOnlyMany] lack ReadWriteOnce",
            "volume mode Block != Filesystem",
            "labels do not match selector");
  }

  @Test
  void aVolumeJustCreatedIsBoundWithoutWaitingForTheClusterToMarkItAvailable() {
    List<BindingDecision> decisions =
        decide(volumes(pv("pv-new").phase("Pending"), pv("pv-phaseless").phase(null)), claim("c").toBind(), claim("d").toBind());

    assertThat(decisions).allSatisfy(d -> assertThat(d).isInstanceOf(BindingDecision.Reserve.class));
    assertThat(decisions).extracting(d -> ((BindingDecision.Reserve) d).volume().getMetadata().getName())
        .containsExactlyInAnyOrder("pv-new", "pv-phaseless");
  }

  @Test
  void aPendingVolumeAlreadyClaimedByAnotherIsNotTaken() {
    BindingDecision d = decide(volumes(pv("pv-taken").phase("Pending").claimRef("other", null)), claim("c").toBind()).get(0);

    assertThat(d).isNotInstanceOf(BindingDecision.Reserve.class);
  }

  @Test
  void explanationNamesOnlyVolumesOfTheClaimsClassWhenThereAreAny() {
    Unbindable unbindable =
        (Unbindable)
            decide(
                    volumes(
                        pv("pv-a-other").storageClass("fast"),
                        pv("pv-b-other").storageClass("fast"),
                        pv("pv-c-other").storageClass("fast"),
                        pv("pv-taken").claimRef("other", "uid-other").phase("Bound")),
                    claim("c").toBind())
                .get(0);

    assertThat(unbindable.closest()).extracting(VolumeMismatch::volumeName).containsExactly("pv-taken");
    assertThat(unbindable.message()).doesNotContain("pv-a-other").doesNotContain("less well");
  }

  @Test
  void explanationSaysWhenNoVolumeHasTheClaimsClass() {
    Unbindable unbindable = (Unbindable) decide(volumes(pv("pv-fast").storageClass("fast")), claim("c").toBind()).get(0);

    assertThat(unbindable.message())
        .isEqualTo(
            "no PersistentVolume fits claim default/c (manual, 1Gi, [ReadWriteOnce]):"
                + " no PersistentVolume has storage class \"manual\"");
    assertThat(unbindable.closest()).extracting(VolumeMismatch::volumeName).containsExactly("pv-fast");
  }

  @Test
  void explanationSaysWhenNoVolumeIsWithoutAClass() {
    Unbindable unbindable =
        (Unbindable) decide(volumes(pv("pv-a")), claim("c").storageClass("").toBind()).get(0);

    assertThat(unbindable.message()).endsWith("(no class, 1Gi, [ReadWriteOnce]): no PersistentVolume is without a storage class");
  }

  @Test
  void onlyTheFirstTenUnbindableClaimsOfAPassAreExplainedInFull() {
    List<ClaimToBind> claims = new ArrayList<>();
    IntStream.range(0, 12).forEach(i -> claims.add(claim("c-" + i).toBind()));

    List<BindingDecision> decisions =
        new ClaimBinder(CLASSES, NODES).decide(claims, VolumeIndex.of(volumes(pv("pv-tiny").capacity("1Mi"))));

    assertThat(decisions).allMatch(Unbindable.class::isInstance);
    assertThat(decisions.subList(0, 10))
        .allSatisfy(d -> assertThat(((Unbindable) d).closest()).hasSize(1));
    Unbindable eleventh = (Unbindable) decisions.get(10);
    assertThat(eleventh.closest()).isEmpty();
    assertThat(eleventh.message())
        .isEqualTo(
            "no PersistentVolume fits claim default/c-10 (manual, 1Gi, [ReadWriteOnce]) (not examined"
                + " further: the first 10 unbindable claims of this pass are explained in full)");
  }

  @Test
  void decidingDoesNotChangeTheInputs() {
    List<PersistentVolume> pvs = volumes(pv("pv-a"));
    PersistentVolume before = new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder(pvs.get(0)).build();

    decide(pvs, claim("c").toBind());

    assertThat(pvs.get(0)).isEqualTo(before);
  }
}
