package dev.ordinal.binding;

import static dev.ordinal.binding.Fixtures.RWO;
import static dev.ordinal.binding.Fixtures.ROX;
import static dev.ordinal.binding.Fixtures.RWX;
import static dev.ordinal.binding.Fixtures.claim;
import static dev.ordinal.binding.Fixtures.matchExpression;
import static dev.ordinal.binding.Fixtures.matchLabels;
import static dev.ordinal.binding.Fixtures.pv;
import static dev.ordinal.binding.Fixtures.volumes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ordinal.binding.BindingDecision.Reserve;
import dev.ordinal.binding.BindingDecision.Unbindable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each binding rule and tie-break of design 3.6, one row each: given these volumes and this
 * claim, the binder reserves the named volume, or (null) none fits.
 */
class ClaimBinderChoiceTest {

  static Stream<Arguments> rules() {
    return Stream.of(
        // storage class
        arguments("sameClassFits", volumes(pv("pv-a")), claim("c"), "pv-a"),
        arguments("otherClassNeverFits", volumes(pv("pv-a").storageClass("fast")), claim("c"), null),
        arguments("emptyClassVolumeServesNoClassClaim",
            volumes(pv("pv-a").storageClass("")), claim("c").storageClass(""), "pv-a"),
        arguments("absentClassVolumeServesEmptyClassClaim",
            volumes(pv("pv-a").storageClass(null)), claim("c").storageClass(""), "pv-a"),
        arguments("absentClassVolumeServesNullClassClaim",
            volumes(pv("pv-a").storageClass(null)), claim("c").storageClass(null), "pv-a"),
        arguments("noClassVolumeNeverServesClassClaim",
            volumes(pv("pv-a").storageClass(null)), claim("c"), null),
        arguments("classVolumeNeverServesNoClassClaim",
            volumes(pv("pv-a")), claim("c").storageClass(""), null),
        // capacity
        arguments("smallestFittingVolumeWins",
            volumes(pv("pv-10").capacity("10Gi"), pv("pv-1").capacity("1Gi"), pv("pv-5").capacity("5Gi")),
            claim("c"), "pv-1"),
        arguments("smallestFittingVolumeWinsAboveTheRequest",
            volumes(pv("pv-10").capacity("10Gi"), pv("pv-1").capacity("1Gi"), pv("pv-5").capacity("5Gi")),
            claim("c").request("2Gi"), "pv-5"),
        arguments("largerVolumeServesSmallerClaim",
            volumes(pv("pv-10").capacity("10Gi")), claim("c"), "pv-10"),
        arguments("volumesSmallerThanTheRequestNeverFit",
            volumes(pv("pv-a").capacity("50Gi"), pv("pv-b").capacity("50Gi")),
            claim("c").request("100Gi"), null),
        arguments("capacityComparesBytesNotStrings_1024MiIs1Gi",
            volumes(pv("pv-a").capacity("1024Mi")), claim("c").request("1Gi"), "pv-a"),
        arguments("capacityComparesBytesNotStrings_1023MiIsLess",
            volumes(pv("pv-a").capacity("1023Mi")), claim("c").request("1Gi"), null),
        arguments("decimalAndBinarySuffixesCompareNumerically",
            volumes(pv("pv-a").capacity("1G")), claim("c").request("1Gi"), null),
        // access modes
        arguments("volumeOfferingMoreModesFits",
            volumes(pv("pv-a").modes(RWO, RWX)), claim("c").modes(RWX), "pv-a"),
        arguments("volumeLackingAModeNeverFits",
            volumes(pv("pv-a").modes(RWO)), claim("c").modes(RWO, RWX), null),
        arguments("fewestAccessModesWinOverSmallerCapacity",
            volumes(pv("pv-rwx").modes(RWO, RWX).capacity("1Gi"), pv("pv-rwo").modes(RWO).capacity("5Gi")),
            claim("c"), "pv-rwo"),
        arguments("fewestAccessModesWinAmongSeveralSupersets",
            volumes(pv("pv-3").modes(RWO, ROX, RWX), pv("pv-2").modes(RWO, ROX).capacity("2Gi")),
            claim("c"), "pv-2"),
        // volume mode
        arguments("blockVolumeNeverServesFilesystemClaim",
            volumes(pv("pv-a").volumeMode("Block")), claim("c"), null),
        arguments("blockVolumeServesBlockClaim",
            volumes(pv("pv-fs"), pv("pv-b").volumeMode("Block")), claim("c").volumeMode("Block"), "pv-b"),
        arguments("absentVolumeModeIsFilesystem",
            volumes(pv("pv-a")), claim("c").volumeMode("Filesystem"), "pv-a"),
        // selector
        arguments("selectorMatchLabelsPicksLabelledVolume",
            volumes(pv("pv-a"), pv("pv-b").label("tier", "db")), claim("c").selector(matchLabels("tier", "db")), "pv-b"),
        arguments("selectorMatchLabelsRejectsOtherValue",
            volumes(pv("pv-a").label("tier", "web")), claim("c").selector(matchLabels("tier", "db")), null),
        arguments("selectorInMatches",
            volumes(pv("pv-a").label("zone", "b")), claim("c").selector(matchExpression("zone", "In", "a", "b")), "pv-a"),
        arguments("selectorNotInRejects",
            volumes(pv("pv-a").label("zone", "b")), claim("c").selector(matchExpression("zone", "NotIn", "b")), null),
        arguments("selectorExistsNeedsTheLabel",
            volumes(pv("pv-a"), pv("pv-b").label("ssd", "")), claim("c").selector(matchExpression("ssd", "Exists")), "pv-b"),
        arguments("selectorDoesNotExistSkipsLabelled",
            volumes(pv("pv-a").label("ssd", "")), claim("c").selector(matchExpression("ssd", "DoesNotExist")), null),
        // phase
        arguments("releasedVolumeNeverTaken", volumes(pv("pv-a").phase("Released")), claim("c"), null),
        arguments("boundVolumeNeverTaken", volumes(pv("pv-a").phase("Bound")), claim("c"), null),
        arguments("failedVolumeNeverTaken", volumes(pv("pv-a").phase("Failed")), claim("c"), null),
        // a volume just created (Pending, or no phase yet) is taken at once: see VolumeFit.isNew
        arguments("newPendingVolumeTaken", volumes(pv("pv-a").phase("Pending")), claim("c"), "pv-a"),
        arguments("newVolumeWithoutPhaseTaken", volumes(pv("pv-a").phase(null)), claim("c"), "pv-a"),
        arguments("availableVolumePreferredOverNoneButSmallerNewOneWins",
            volumes(pv("pv-big").capacity("10Gi"), pv("pv-new").phase("Pending")), claim("c"), "pv-new"),
        // claimRef
        arguments("volumeClaimedByAnotherClaimNeverTaken",
            volumes(pv("pv-a").claimRef("other", null)), claim("c"), null),
        arguments("volumeClaimedByEarlierClaimOfSameNameNeverTaken",
            volumes(pv("pv-a").claimRef("c", "old-uid")), claim("c").uid("new-uid"), null),
        arguments("volumeHeldByUidNeverTakenByClaimNotYetCreated",
            volumes(pv("pv-a").claimRef("c", "old-uid")), claim("c"), null),
        arguments("preBoundVolumeWinsEvenIfLarger",
            volumes(pv("pv-small"), pv("pv-big").capacity("10Gi").claimRef("c", null)), claim("c"), "pv-big"),
        arguments("preBoundVolumeWinsWithoutPhase",
            volumes(pv("pv-small"), pv("pv-big").capacity("10Gi").phase(null).claimRef("c", null)), claim("c"), "pv-big"),
        arguments("preBoundVolumeWithThisUidWins",
            volumes(pv("pv-small"), pv("pv-big").capacity("10Gi").claimRef("c", "u1")), claim("c").uid("u1"), "pv-big"),
        arguments("preBoundVolumeThatDoesNotFitLosesToAFreeOne",
            volumes(pv("pv-free").capacity("5Gi"), pv("pv-tiny").capacity("1Mi").claimRef("c", null)),
            claim("c"), "pv-free"),
        // ties
        arguments("identicalVolumesTieBreakByName",
            volumes(pv("pv-b"), pv("pv-c"), pv("pv-a")), claim("c"), "pv-a"),
        arguments("identicalCapacityInOtherUnitsTieBreaksByName",
            volumes(pv("pv-b").capacity("1Gi"), pv("pv-a").capacity("1024Mi")), claim("c"), "pv-a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void bindsTheVolumeTheRulesPrefer(
      String rule, List<io.fabric8.kubernetes.api.model.PersistentVolume> pvs, Fixtures.Claim claim, String expected) {
    ClaimBinder binder = new ClaimBinder(StorageClasses.none(), Map.of());

    BindingDecision decision = binder.decide(List.of(claim.toBind()), VolumeIndex.of(pvs)).get(0);

    if (expected == null) {
      assertThat(decision).isInstanceOf(Unbindable.class);
    } else {
      assertThat(decision).isInstanceOf(Reserve.class);
      assertThat(((Reserve) decision).volume().getMetadata().getName()).isEqualTo(expected);
    }
    assertThat(decision.claimName()).isEqualTo("c");
  }
}
