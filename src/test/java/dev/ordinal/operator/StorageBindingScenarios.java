package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.PersistentVolumeClaimRetentionPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.Harness;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding through the real loop: smallest fit, mismatches explained, WaitForFirstConsumer, provisioning, coexistence. */
abstract class StorageBindingScenarios {
  /** The tier these scenarios run on. */
  protected abstract Harness harness();

  @Test
  void onePvForTwoReplicasLeavesTheSecondClaimPendingAndSaysWhy() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-only", "1Gi");
    c.create(c.web(2));
    c.awaitReady("web-0");
    c.awaitBound("www-web-0");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      assertThat(c.claim("www-web-1")).isNotNull();
      assertThat(c.condition("web", "StorageBound")).hasValueSatisfying(cond -> {
        assertThat(cond.getStatus()).isEqualTo("False");
        assertThat(cond.getMessage()).contains("www-web-1").contains(c.pvName("pv-only")).contains("claimed by " + c.ns() + "/www-web-0");
      });
      assertThat(c.events()).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("FailedBinding");
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("www-web-1");
      });
    });
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !c.isReady("web-1"));
    assertThat(c.claimPhase("www-web-1")).isNotEqualTo("Bound");
    assertThat(c.set("web").getStatus().getPendingClaims()).isEqualTo(1);
    // A second matching PV appears: the claim binds and the pod starts, with no other nudge.
    c.createPv("pv-late", "1Gi");
    c.awaitBound("www-web-1");
    c.awaitReady("web-1");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "StorageBound")).hasValueSatisfying(cond -> assertThat(cond.getStatus()).isEqualTo("True")));
  }

  @Test
  void smallestFittingVolumeIsChosen() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-10g", "10Gi");
    c.createPv("pv-1g", "1Gi");
    c.createPv("pv-5g", "5Gi");
    OrdinalSet set = Fixtures.set(c.ns(), "web", 2, c.storageClass(), "1Gi");
    c.create(set);
    c.awaitBound("www-web-0", "www-web-1");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-1g"));
    assertThat(c.claim("www-web-1").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-5g"));
    assertThat(c.claim("www-web-1").getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("5Gi"));
  }

  @Test
  void accessModeClassAndSelectorMismatchesKeepClaimsPendingWithReasons() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-rwo-only", "5Gi", "ReadWriteOnce");
    c.client().persistentVolumes().resource(Fixtures.pv(c.pvName("pv-other-class"), "5Gi", "other-" + c.ns(), "ReadWriteMany")).create();
    c.client().persistentVolumes().resource(Fixtures.withLabels(
        Fixtures.pv(c.pvName("pv-wrong-label"), "5Gi", c.storageClass(), "ReadWriteMany"), Map.of("tier", "cold"))).create();
    OrdinalSet set = Fixtures.set(c.ns(), "web", 1, c.storageClass(), "1Gi");
    var template = set.getSpec().getVolumeClaimTemplates().get(0);
    template.getSpec().setAccessModes(List.of("ReadWriteMany"));
    template.getSpec().setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "hot")).build());
    c.create(set);
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "StorageBound")).hasValueSatisfying(cond -> {
          assertThat(cond.getStatus()).isEqualTo("False");
          assertThat(cond.getMessage()).contains("www-web-0").contains("ReadWriteMany").contains("selector");
        }));
    assertThat(c.claimPhase("www-web-0")).isNotEqualTo("Bound");
    assertThat(c.pod("web-0").getSpec().getNodeName()).isNull();
    // The fitting volume arrives: labelled hot, RWX, right class.
    c.client().persistentVolumes().resource(Fixtures.withLabels(
        Fixtures.pv(c.pvName("pv-hot"), "2Gi", c.storageClass(), "ReadWriteMany"), Map.of("tier", "hot"))).create();
    c.awaitBound("www-web-0");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-hot"));
  }

  @Test
  void waitForFirstConsumerBindsOnlyAfterThePodHasANodeAndHonoursNodeAffinity() {
    Cluster c = new Cluster(harness());
    String cls = "wffc-" + c.ns();
    c.client().storage().v1().storageClasses().resource(Fixtures.storageClass(cls, "kubernetes.io/no-provisioner", "WaitForFirstConsumer", false)).create();
    var elsewhere = Fixtures.pv(c.pvName("pv-elsewhere"), "1Gi", cls);
    elsewhere.getSpec().setNodeAffinity(nodeAffinity("other-node"));
    var local = Fixtures.pv(c.pvName("pv-local"), "2Gi", cls);
    local.getSpec().setNodeAffinity(nodeAffinity("sandbox-node"));
    c.client().persistentVolumes().resource(elsewhere).create();
    c.client().persistentVolumes().resource(local).create();
    c.create(Fixtures.set(c.ns(), "web", 1, cls, "1Gi"));
    c.awaitReady("web-0");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-local"));
    assertThat(c.pod("web-0").getSpec().getNodeName()).isEqualTo("sandbox-node");
  }

  /**
   * Claims first, volumes later: each claim ends on a volume the operator reserved for it (the
   * claimRef carries the claim's uid), beside the cluster's PV binder, and the volumes that came
   * after every claim was bound stay free. (Which volume wins among several present at once is
   * {@link #smallestFittingVolumeIsChosen}'s; here volumes arrive one by one, and the operator
   * binds each as it comes.)
   */
  @Test
  void claimsCreatedBeforeTheirVolumesAreBoundAsTheVolumesArrive() {
    Cluster c = new Cluster(harness());
    OrdinalSet set = c.web(3);
    set.getSpec().setPodManagementPolicy(dev.ordinal.api.v1alpha1.PodManagementPolicy.Parallel);
    c.create(set);
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      for (int i = 0; i < 3; i++) {
        assertThat(c.claim("www-web-" + i)).as("www-web-" + i).isNotNull();
      }
    });
    assertThat(c.claimPhase("www-web-0")).isNotEqualTo("Bound");
    c.createPv("pv-c-2g", "2Gi");
    c.createPv("pv-b-1g", "1Gi");
    c.createPv("pv-a-1g", "1Gi");
    c.awaitBound("www-web-0", "www-web-1", "www-web-2");
    c.awaitReady("web-0", "web-1", "web-2");
    c.createPv("pv-d-late", "1Gi");
    java.util.Set<String> chosen = new java.util.TreeSet<>();
    for (int i = 0; i < 3; i++) {
      var claim = c.claim("www-web-" + i);
      chosen.add(claim.getSpec().getVolumeName());
      var pv = c.client().persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
      assertThat(pv.getSpec().getClaimRef().getUid()).as("claimRef of " + pv.getMetadata().getName()).isEqualTo(claim.getMetadata().getUid());
    }
    assertThat(chosen).containsExactly(c.pvName("pv-a-1g"), c.pvName("pv-b-1g"), c.pvName("pv-c-2g"));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> c.pv("pv-d-late").getSpec().getClaimRef() == null);
  }

  @Test
  void classWithAProvisionerIsLeftToDynamicProvisioning() {
    Cluster c = new Cluster(harness());
    String cls = "dyn-" + c.ns();
    c.client().storage().v1().storageClasses().resource(Fixtures.storageClass(cls, "ebs.csi.aws.com", "Immediate", false)).create();
    c.create(Fixtures.set(c.ns(), "web", 1, cls, "1Gi"));
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "Progressing")).hasValueSatisfying(cond ->
            assertThat(cond.getMessage()).contains("waits for provisioner ebs.csi.aws.com")));
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isNull();
    assertThat(c.events()).noneSatisfy(e -> assertThat(e.getReason()).isEqualTo("FailedBinding"));
  }

  @Test
  void claimTemplateWithoutClassGetsTheDefaultClassAtCreation() {
    Cluster c = new Cluster(harness());
    String cls = "default-" + c.ns();
    c.client().storage().v1().storageClasses().resource(Fixtures.storageClass(cls, "kubernetes.io/no-provisioner", "Immediate", true)).create();
    try {
      c.client().persistentVolumes().resource(Fixtures.pv(c.pvName("pv-default"), "1Gi", cls)).create();
      OrdinalSet set = Fixtures.set(c.ns(), "web", 1, null, "1Gi");
      c.create(set);
      c.awaitBound("www-web-0");
      assertThat(c.claim("www-web-0").getSpec().getStorageClassName()).isEqualTo(cls);
    } finally {
      c.client().storage().v1().storageClasses().withName(cls).delete();
    }
  }

  @Test
  void claimAlreadyBoundByTheClusterIsRespectedAndNeverRebound() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-small", "1Gi");
    var big = c.createPv("pv-big", "10Gi");
    // The cluster's own PV controller bound www-web-0 to the big volume before the set existed.
    var claim = c.client().persistentVolumeClaims().inNamespace(c.ns()).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("www-web-0").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(c.storageClass()).withVolumeName(big.getMetadata().getName())
        .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec()
        .build()).create();
    String claimUid = claim.getMetadata().getUid();
    if (harness().isReal()) {
      c.awaitBound("www-web-0"); // the cluster's PV binder completes the pre-bound pair itself
    } else {
      claim.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder().withPhase("Bound")
          .withCapacity(Map.of("storage", new Quantity("10Gi"))).withAccessModes("ReadWriteOnce").build());
      c.client().persistentVolumeClaims().inNamespace(c.ns()).resource(claim).updateStatus();
      c.client().persistentVolumes().withName(big.getMetadata().getName()).edit(pv -> {
        pv.getSpec().setClaimRef(new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
            .withKind("PersistentVolumeClaim").withNamespace(c.ns()).withName("www-web-0").withUid(claimUid).build());
        pv.getStatus().setPhase("Bound");
        return pv;
      });
    }
    c.create(c.web(1));
    c.awaitReady("web-0");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(big.getMetadata().getName());
    assertThat(c.claim("www-web-0").getMetadata().getUid()).isEqualTo(claimUid);
    assertThat(c.pv("pv-small").getSpec().getClaimRef()).isNull();
  }

  @Test
  void retentionPolicyIsExpressedAsOwnerReferences() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-a", "1Gi");
    c.createPv("pv-b", "1Gi");
    OrdinalSet kept = Fixtures.set(c.ns(), "kept", 1, c.storageClass(), "1Gi");
    OrdinalSet dropped = Fixtures.set(c.ns(), "dropped", 1, c.storageClass(), "1Gi");
    dropped.getSpec().getSelector().setMatchLabels(Map.of("app", "dropped"));
    dropped.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "dropped"));
    dropped.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(RetentionPolicyType.Delete, RetentionPolicyType.Retain));
    c.create(kept);
    c.create(dropped);
    c.awaitBound("www-kept-0", "www-dropped-0");
    assertThat(c.claim("www-kept-0").getMetadata().getOwnerReferences()).isNullOrEmpty();
    OrdinalSet droppedSet = c.set("dropped");
    assertThat(c.claim("www-dropped-0").getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getUid()).isEqualTo(droppedSet.getMetadata().getUid());
      assertThat(ref.getController()).isNotEqualTo(Boolean.TRUE);
    });
    // Switching the policy back to Retain removes the set as owner of the existing claim.
    c.mergePatch("dropped", "{\"spec\":{\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Retain\"}}}");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.claim("www-dropped-0").getMetadata().getOwnerReferences()).isNullOrEmpty());
  }

  private static io.fabric8.kubernetes.api.model.VolumeNodeAffinity nodeAffinity(String node) {
    return new io.fabric8.kubernetes.api.model.VolumeNodeAffinityBuilder().withNewRequired().addNewNodeSelectorTerm()
        .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("kubernetes.io/hostname").withOperator("In").withValues(node).build())
        .endNodeSelectorTerm().endRequired().build();
  }
}
