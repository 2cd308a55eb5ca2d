package dev.ordinal.binding;

import static dev.ordinal.binding.Fixtures.claim;
import static dev.ordinal.binding.Fixtures.pv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.binding.BindingDecision.Reserve;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The index finds a claim's volume without scanning: it examines only the volumes it must. */
class VolumeIndexTest {

  private static List<String> examinedWhileBinding(List<PersistentVolume> pvs, Fixtures.Claim... claims) {
    List<String> examined = new ArrayList<>();
    VolumeIndex index = VolumeIndex.observed(pvs, examined::add);
    List<ClaimToBind> toBind = java.util.Arrays.stream(claims).map(Fixtures.Claim::toBind).toList();
    List<BindingDecision> decisions = new ClaimBinder(StorageClasses.none(), Map.of()).decide(toBind, index);
    assertThat(decisions).allMatch(Reserve.class::isInstance);
    return examined;
  }

  @Test
  void lookupTouchesNoVolumeOfAnotherClass() {
    List<PersistentVolume> pvs = new ArrayList<>();
    IntStream.range(0, 10_000).forEach(i -> pvs.add(pv("other-" + i).storageClass("other").build()));
    pvs.add(pv("pv-manual").build());

    assertThat(examinedWhileBinding(pvs, claim("c"))).containsExactly("pv-manual");
  }

  @Test
  void lookupStartsAtTheSmallestVolumeLargeEnough() {
    List<PersistentVolume> pvs = new ArrayList<>();
    IntStream.rangeClosed(1, 1000).forEach(i -> pvs.add(pv("pv-" + i).capacity(i + "Gi").build()));

    assertThat(examinedWhileBinding(pvs, claim("c").request("500Gi"))).containsExactly("pv-500");
  }

  @Test
  void lookupSkipsBucketsLackingTheClaimsAccessModes() {
    List<PersistentVolume> pvs = new ArrayList<>();
    IntStream.range(0, 1000).forEach(i -> pvs.add(pv("rwo-" + i).build()));
    IntStream.range(0, 1000).forEach(i -> pvs.add(pv("block-" + i).modes(Fixtures.RWX).volumeMode("Block").build()));
    pvs.add(pv("pv-rwx").modes(Fixtures.RWO, Fixtures.RWX).build());

    assertThat(examinedWhileBinding(pvs, claim("c").modes(Fixtures.RWX))).containsExactly("pv-rwx");
  }

  @Test
  void lookupStopsAtTheFewestAccessModesThatYieldAVolume() {
    List<PersistentVolume> pvs = new ArrayList<>();
    IntStream.range(0, 1000).forEach(i -> pvs.add(pv("rwx-" + i).modes(Fixtures.RWO, Fixtures.RWX).build()));
    pvs.add(pv("pv-rwo").capacity("5Gi").build());

    assertThat(examinedWhileBinding(pvs, claim("c"))).containsExactly("pv-rwo");
  }

  @Test
  void eachClaimOfAPassExaminesOnlyTheVolumesBeforeItsOwn() {
    List<PersistentVolume> pvs = new ArrayList<>();
    IntStream.range(0, 3).forEach(i -> pvs.add(pv("pv-" + i).build()));

    // The second claim skips the volume the first took, and nothing else.
    assertThat(examinedWhileBinding(pvs, claim("a"), claim("b"))).containsExactly("pv-0", "pv-0", "pv-1");
  }

  @Test
  void preBoundVolumeIsFoundWithoutALookup() {
    List<PersistentVolume> pvs = new ArrayList<>();
    IntStream.range(0, 1000).forEach(i -> pvs.add(pv("pv-" + i).build()));
    pvs.add(pv("pv-mine").capacity("10Gi").claimRef("c", null).build());

    assertThat(examinedWhileBinding(pvs, claim("c"))).isEmpty();
  }

  @Test
  void volumeWithUnreadableCapacityIsIndexedByNameButNeverChosen() {
    PersistentVolume broken = pv("pv-broken").build();
    broken.getSpec().getCapacity().put("storage", new io.fabric8.kubernetes.api.model.Quantity("lots"));
    VolumeIndex index = VolumeIndex.of(List.of(broken));

    assertThat(index.volume("pv-broken")).isPresent();
    BindingDecision decision =
        new ClaimBinder(StorageClasses.none(), Map.of()).decide(List.of(claim("c").toBind()), index).get(0);
    assertThat(decision).isInstanceOf(BindingDecision.Unbindable.class);
    assertThat(((BindingDecision.Unbindable) decision).closest().get(0).lacks())
        .containsExactly("capacity lots is not a valid quantity");
  }
}
