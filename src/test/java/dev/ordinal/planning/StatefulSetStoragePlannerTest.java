package dev.ordinal.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.observe.ObservedState;
import dev.ordinal.revision.RevisionState;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.spec.SpecValidation;
import dev.ordinal.spec.StatefulSetDefinitions;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.ObservedStates;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatefulSetStoragePlannerTest {
  private static final String NS = "default";
  private final StatefulSetStoragePlanner planner = new StatefulSetStoragePlanner();
  private final StatefulSetDefinitions definitions = new StatefulSetDefinitions();

  private static StatefulSet web(int replicas) {
    StatefulSet sts = Fixtures.statefulSet(NS, "web", replicas, "manual", "1Gi");
    sts.getMetadata().setUid("uid-sts-web");
    sts.getMetadata().setGeneration(1L);
    return sts;
  }

  private SetDefinition read(StatefulSet sts) {
    SpecValidation v = definitions.read(sts);
    assertThat(v.problems()).isEmpty();
    return v.definition().orElseThrow();
  }

  private static ObservedState state(SetDefinition set, List<PersistentVolumeClaim> claims, List<PersistentVolume> volumes,
      List<StorageClass> classes) {
    Map<String, PersistentVolumeClaim> byName = new HashMap<>();
    claims.forEach(c -> byName.put(c.getMetadata().getName(), c));
    Map<String, PersistentVolume> pvs = new LinkedHashMap<>();
    volumes.forEach(v -> pvs.put(v.getMetadata().getName(), v));
    Map<String, StorageClass> scs = new HashMap<>();
    classes.forEach(c -> scs.put(c.getMetadata().getName(), c));
    RevisionState revisions = ObservedStates.revisions(set);
    return new ObservedState(set, new TreeMap<>(), byName, pvs, scs, Map.of(), revisions, ObservedStates.NOW);
  }

  private static PersistentVolumeClaim claim(String name, String size, String phase, String volume) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).withUid("uid-" + name).withResourceVersion("7").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("manual").withVolumeName(volume)
        .withNewResources().withRequests(Map.of("storage", new Quantity(size))).endResources().endSpec()
        .withNewStatus().withPhase(phase).withCapacity(volume == null ? null : Map.of("storage", new Quantity(size))).endStatus()
        .build();
  }

  private static PersistentVolume boundTo(PersistentVolumeClaim claim, String size) {
    return new PersistentVolumeBuilder(Fixtures.pv(claim.getSpec().getVolumeName(), size, "manual"))
        .editSpec().withClaimRef(new ObjectReferenceBuilder().withNamespace(NS).withName(claim.getMetadata().getName())
            .withUid(claim.getMetadata().getUid()).build()).endSpec()
        .editStatus().withPhase("Bound").endStatus().build();
  }

  private static List<PersistentVolumeClaim> boundClaims(int replicas, String size, List<PersistentVolume> volumes) {
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      PersistentVolumeClaim c = claim("www-web-" + i, size, "Bound", "pv-" + i);
      claims.add(c);
      volumes.add(boundTo(c, size));
    }
    return claims;
  }

  private static StorageClass expandable(boolean allow) {
    StorageClass sc = Fixtures.storageClass("manual", "kubernetes.io/no-provisioner", "Immediate", false);
    sc.setAllowVolumeExpansion(allow);
    return sc;
  }

  @Test
  void everyDesiredOrdinalGetsItsClaimAheadOfItsPodPreBoundByTheTieBreaks() {
    // fewest access modes first, then the smallest, then the name
    List<PersistentVolume> pvs = List.of(
        Fixtures.pv("pv-d", "1Gi", "manual"),
        Fixtures.pv("pv-c", "1Gi", "manual"),
        Fixtures.pv("pv-b", "1Gi", "manual", "ReadWriteOnce", "ReadWriteMany"),
        Fixtures.pv("pv-a", "2Gi", "manual"));

    OrdinalPlan plan = planner.plan(state(read(web(3)), List.of(), pvs, List.of()));

    assertThat(plan.actions()).allSatisfy(a -> assertThat(a).isInstanceOf(Action.CreateClaim.class));
    Map<String, String> chosen = new TreeMap<>();
    plan.actions().forEach(a -> {
      Action.CreateClaim c = (Action.CreateClaim) a;
      chosen.put(c.claim().getMetadata().getName(), c.reserve().orElseThrow().getMetadata().getName());
    });
    assertThat(chosen).containsExactly(Map.entry("www-web-0", "pv-c"), Map.entry("www-web-1", "pv-d"), Map.entry("www-web-2", "pv-a"));
  }

  @Test
  void claimIsMadeAsTheStatefulSetControllerMakesItWithoutLabelsOfOurs() {
    StatefulSet sts = web(1);
    sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().setLabels(Map.of("tier", "data"));
    sts.getSpec().setPersistentVolumeClaimRetentionPolicy(new StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
        .withWhenDeleted("Delete").withWhenScaled("Retain").build());

    OrdinalPlan plan = planner.plan(state(read(sts), List.of(), List.of(Fixtures.pv("pv-a", "1Gi", "manual")), List.of()));

    PersistentVolumeClaim claim = ((Action.CreateClaim) plan.actions().get(0)).claim();
    assertThat(claim.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("tier", "data", "app", "nginx"));
    assertThat(claim.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getApiVersion()).isEqualTo("apps/v1");
      assertThat(o.getKind()).isEqualTo("StatefulSet");
      assertThat(o.getName()).isEqualTo("web");
      assertThat(o.getUid()).isEqualTo("uid-sts-web");
      assertThat(o.getController()).isTrue();
      assertThat(o.getBlockOwnerDeletion()).isTrue();
    });
  }

  @Test
  void underRetainTheClaimHasNoOwner() {
    OrdinalPlan plan = planner.plan(state(read(web(1)), List.of(), List.of(Fixtures.pv("pv-a", "1Gi", "manual")), List.of()));

    assertThat(((Action.CreateClaim) plan.actions().get(0)).claim().getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void aClaimTheStatefulSetControllerCreatedFirstIsBoundTheSameWay() {
    PersistentVolumeClaim theirs = claim("www-web-0", "1Gi", "Pending", null);

    OrdinalPlan plan = planner.plan(state(read(web(1)), List.of(theirs),
        List.of(Fixtures.pv("pv-big", "5Gi", "manual"), Fixtures.pv("pv-small", "1Gi", "manual")), List.of()));

    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.BindClaim.class,
        b -> assertThat(b.volume().getMetadata().getName()).isEqualTo("pv-small"));
  }

  @Test
  void aClaimSomeoneElseBoundIsNeverRebound() {
    List<PersistentVolume> pvs = new ArrayList<>(List.of(Fixtures.pv("pv-better", "1Gi", "manual")));
    PersistentVolumeClaim bound = claim("www-web-0", "1Gi", "Bound", "pv-big");
    pvs.add(boundTo(bound, "5Gi"));

    OrdinalPlan plan = planner.plan(state(read(web(1)), List.of(bound), pvs, List.of()));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.isConverged()).isTrue();
  }

  @Test
  void aPendingClaimIsExplainedOnTheClaimAndOnTheSet() {
    PersistentVolumeClaim pending = claim("www-web-1", "1Gi", "Pending", null);
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = new ArrayList<>(boundClaims(1, "1Gi", pvs));
    claims.add(pending);
    pvs.add(Fixtures.pv("pv-tiny", "100Mi", "manual"));

    OrdinalPlan plan = planner.plan(state(read(web(2)), claims, pvs, List.of()));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.events()).filteredOn(e -> e.reason().equals(EventNote.FAILED_BINDING))
        .extracting(e -> e.object().kind())
        .containsExactlyInAnyOrder("PersistentVolumeClaim", "StatefulSet");
    assertThat(plan.events()).filteredOn(e -> e.object().kind().equals("StatefulSet")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("www-web-1").contains("pv-tiny"));
  }

  @Test
  void largerTemplateGrowsClaimsOneAtATimeHighestOrdinalFirstWhateverThePartition() {
    StatefulSet sts = web(3);
    sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().setRequests(Map.of("storage", new Quantity("2Gi")));
    sts.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
        .withType("RollingUpdate").withNewRollingUpdate().withPartition(5).endRollingUpdate().build());
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(3, "1Gi", pvs);

    OrdinalPlan plan = planner.plan(state(read(sts), claims, pvs, List.of(expandable(true))));

    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.ResizeClaim.class, r -> {
      assertThat(r.claimName()).isEqualTo("www-web-2");
      assertThat(r.storage()).isEqualTo(new Quantity("2Gi"));
    });
    assertThat(plan.events()).filteredOn(e -> e.reason().equals(StatefulSetStoragePlanner.RESIZING_CLAIM)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("www-web-2").contains("2 more claims wait"));
  }

  @Test
  void aShrinkIsRefusedWithAWarningAndNothingChanges() {
    StatefulSet sts = web(2);
    sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().setRequests(Map.of("storage", new Quantity("512Mi")));
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(2, "1Gi", pvs);

    OrdinalPlan plan = planner.plan(state(read(sts), claims, pvs, List.of(expandable(true))));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.events()).filteredOn(e -> e.reason().equals(StatefulSetStoragePlanner.CLAIM_CHANGE_REFUSED)).singleElement()
        .satisfies(e -> {
          assertThat(e.type()).isEqualTo(EventNote.Type.Warning);
          assertThat(e.message()).contains("cannot shrink");
        });
  }

  @Test
  void aLargerTemplateWithAnotherChangeIsRefusedAndNoClaimGrows() {
    StatefulSet sts = web(2);
    var template = sts.getSpec().getVolumeClaimTemplates().get(0).getSpec();
    template.getResources().setRequests(Map.of("storage", new Quantity("2Gi")));
    template.setAccessModes(List.of("ReadWriteMany"));
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(2, "1Gi", pvs);

    OrdinalPlan plan = planner.plan(state(read(sts), claims, pvs, List.of(expandable(true))));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.events()).anySatisfy(e -> {
      assertThat(e.reason()).isEqualTo(StatefulSetStoragePlanner.CLAIM_CHANGE_REFUSED);
      assertThat(e.message()).contains("accessModes");
    });
  }

  @Test
  void volumeReuseAnnotationGivesTheReleasedVolumeBackToItsOrdinal() {
    StatefulSet sts = web(2);
    sts.getMetadata().setAnnotations(Map.of(StatefulSetDefinitions.VOLUME_REUSE_ANNOTATION, "SameOrdinal"));
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(1, "1Gi", pvs);
    pvs.add(Fixtures.pv("pv-a-spare", "1Gi", "manual"));
    pvs.add(released("pv-old-1", "www-web-1"));

    OrdinalPlan plan = planner.plan(state(read(sts), claims, pvs, List.of()));

    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.CreateClaim.class,
        c -> assertThat(c.reserve().orElseThrow().getMetadata().getName()).isEqualTo("pv-old-1"));
  }

  @Test
  void withoutTheAnnotationAReleasedVolumeStaysReleased() {
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(1, "1Gi", pvs);
    pvs.add(Fixtures.pv("pv-a-spare", "1Gi", "manual"));
    pvs.add(released("pv-old-1", "www-web-1"));

    OrdinalPlan plan = planner.plan(state(read(web(2)), claims, pvs, List.of()));

    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.CreateClaim.class,
        c -> assertThat(c.reserve().orElseThrow().getMetadata().getName()).isEqualTo("pv-a-spare"));
  }

  @Test
  void anUnknownVolumeReuseValueIsAProblemNotAGuess() {
    StatefulSet sts = web(1);
    sts.getMetadata().setAnnotations(Map.of(StatefulSetDefinitions.VOLUME_REUSE_ANNOTATION, "Always"));

    SpecValidation v = definitions.read(sts);

    assertThat(v.isValid()).isFalse();
    assertThat(v.summary()).contains("ordinal.dev/volume-reuse").contains("Always");
  }

  @Test
  void steadyStateHasNothingToDo() {
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(3, "1Gi", pvs);

    OrdinalPlan plan = planner.plan(state(read(web(3)), claims, pvs, List.of(expandable(true))));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.events()).isEmpty();
    assertThat(plan.isConverged()).isTrue();
  }

  /** A Retain volume whose claim (of that name) was deleted. */
  private static PersistentVolume released(String pvName, String claimName) {
    return new PersistentVolumeBuilder(Fixtures.pv(pvName, "1Gi", "manual"))
        .editSpec().withClaimRef(new ObjectReferenceBuilder().withNamespace(NS).withName(claimName).withUid("uid-gone").build()).endSpec()
        .editStatus().withPhase("Released").endStatus().build();
  }

  private static PersistentVolume reservedFor(String pvName, String claimName, boolean byController) {
    PersistentVolumeBuilder b = new PersistentVolumeBuilder(Fixtures.pv(pvName, "1Gi", "manual"))
        .editSpec().withClaimRef(new ObjectReferenceBuilder().withNamespace(NS).withName(claimName).build()).endSpec();
    if (byController) {
      b.editMetadata().addToAnnotations("pv.kubernetes.io/bound-by-controller", "yes").endMetadata();
    }
    return b.build();
  }

  @Test
  void aReservationLeftForAClaimTheClusterBoundElsewhereIsReleased() {
    // We reserved pv-ours for www-web-0, the StatefulSet controller created the claim first and
    // the cluster's binder bound it to pv-0: the reservation would hold pv-ours for ever.
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(1, "1Gi", pvs);
    pvs.add(reservedFor("pv-ours", "www-web-0", true));

    OrdinalPlan plan = planner.plan(state(read(web(1)), claims, pvs, List.of()));

    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.WriteVolume.class, w -> {
      assertThat(w.volume().getMetadata().getName()).isEqualTo("pv-ours");
      assertThat(w.volume().getSpec().getClaimRef()).isNull();
      assertThat(w.ordinal()).isZero();
    });
  }

  @Test
  void anAdminsPreBindingIsNeverReleased() {
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(1, "1Gi", pvs);
    pvs.add(reservedFor("pv-admin", "www-web-0", false));

    OrdinalPlan plan = planner.plan(state(read(web(1)), claims, pvs, List.of()));

    assertThat(plan.actions()).isEmpty();
  }

  @Test
  void aReleasedVolumeIsHeldForItsClaimBeforeTheClaimComesBack() {
    StatefulSet sts = web(1);
    sts.getMetadata().setAnnotations(Map.of(StatefulSetDefinitions.VOLUME_REUSE_ANNOTATION, "SameOrdinal"));
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(1, "1Gi", pvs);
    pvs.add(released("pv-old-1", "www-web-1"));

    OrdinalPlan plan = planner.plan(state(read(sts), claims, pvs, List.of()));

    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.WriteVolume.class, w -> {
      assertThat(w.volume().getSpec().getClaimRef().getName()).isEqualTo("www-web-1");
      assertThat(w.volume().getSpec().getClaimRef().getUid()).isNull();
      assertThat(w.ordinal()).isEqualTo(1);
    });
    assertThat(plan.events()).anySatisfy(e -> assertThat(e.reason()).isEqualTo("ReusingVolume"));
  }

  @Test
  void aReleasedVolumeOfAnotherSetIsNotHeld() {
    StatefulSet sts = web(1);
    sts.getMetadata().setAnnotations(Map.of(StatefulSetDefinitions.VOLUME_REUSE_ANNOTATION, "SameOrdinal"));
    List<PersistentVolume> pvs = new ArrayList<>();
    List<PersistentVolumeClaim> claims = boundClaims(1, "1Gi", pvs);
    pvs.add(released("pv-db", "www-webdb-1"));

    assertThat(planner.plan(state(read(sts), claims, pvs, List.of())).actions()).isEmpty();
  }

  @Test
  void aLowerOrdinalChoosesFirstWhoeverCreatedItsClaim() {
    // The StatefulSet controller made www-web-0 (Pending); www-web-1 is still to be made by us.
    PersistentVolumeClaim theirs = claim("www-web-0", "1Gi", "Pending", null);

    OrdinalPlan plan = planner.plan(state(read(web(2)), List.of(theirs),
        List.of(Fixtures.pv("pv-big", "2Gi", "manual"), Fixtures.pv("pv-exact", "1Gi", "manual")), List.of()));

    assertThat(plan.actions()).hasSize(2);
    assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.BindClaim.class,
        b -> assertThat(b.volume().getMetadata().getName()).isEqualTo("pv-exact")));
    assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreateClaim.class,
        c -> assertThat(c.reserve().orElseThrow().getMetadata().getName()).isEqualTo("pv-big")));
  }
}
