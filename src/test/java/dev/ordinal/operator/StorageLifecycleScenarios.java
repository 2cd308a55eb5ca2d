package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.PersistentVolumeClaimRetentionPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.api.v1alpha1.VolumeReuse;
import dev.ordinal.api.v1alpha1.VolumeReuseType;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.Harness;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Volume growth, volume reuse and the retention corners, through the real loop (design.md 3.7-3.8). */
abstract class StorageLifecycleScenarios {
  /** The tier these scenarios run on. */
  protected abstract Harness harness();

  private Cluster withClass(boolean expandable, int replicas) {
    Cluster c = new Cluster(harness());
    var sc = Fixtures.storageClass(c.storageClass(), "kubernetes.io/no-provisioner", "Immediate", false);
    sc.setAllowVolumeExpansion(expandable);
    c.client().storage().v1().storageClasses().resource(sc).create();
    for (int i = 0; i < replicas; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    c.create(c.web(replicas));
    for (int i = 0; i < replicas; i++) {
      c.awaitReady("web-" + i);
    }
    return c;
  }

  /** Three Ready replicas under whenDeleted and whenScaled Delete, on {@code volumes} 1Gi volumes of the test's class. */
  protected Cluster readyUnderDeletePolicies(int volumes) {
    Cluster c = new Cluster(harness());
    for (int i = 0; i < volumes; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    OrdinalSet set = c.web(3);
    set.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(RetentionPolicyType.Delete, RetentionPolicyType.Delete));
    c.create(set);
    c.awaitReady("web-0", "web-1", "web-2");
    return c;
  }

  private static void setTemplateStorage(Cluster c, String size) {
    c.client().resources(OrdinalSet.class).inNamespace(c.ns()).withName("web").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/volumeClaimTemplates/0/spec/resources/requests/storage\",\"value\":\"" + size + "\"}]");
  }

  private static Quantity request(Cluster c, String claim) {
    return c.claim(claim).getSpec().getResources().getRequests().get("storage");
  }

  @Test
  void largerTemplateRequestExpandsClaimsHighestOrdinalFirst() {
    Cluster c = withClass(true, 3);
    try (var growth = c.recordClaimsGrowingTo("2Gi")) {
      setTemplateStorage(c, "2Gi");
      await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
        for (int i = 0; i < 3; i++) {
          var claim = c.claim("www-web-" + i);
          assertThat(claim.getStatus().getCapacity().get("storage")).as("capacity of www-web-" + i).isEqualTo(new Quantity("2Gi"));
        }
        assertThat(c.condition("web", "ClaimsUpToDate")).hasValueSatisfying(cond ->
            assertThat(cond.getStatus()).as("ClaimsUpToDate: %s", cond.getMessage()).isEqualTo("True"));
      });
      assertThat(growth.names()).containsExactly("www-web-2", "www-web-1", "www-web-0");
    }
    assertThat(c.set("web").getStatus().getVolumeClaims()).isNullOrEmpty();
  }

  @Test
  void classWithoutExpansionRefusesGrowthWithAClearConditionAndChangesNothing() {
    Cluster c = withClass(false, 2);
    setTemplateStorage(c, "2Gi");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "ClaimsUpToDate")).hasValueSatisfying(cond -> {
          assertThat(cond.getStatus()).isEqualTo("False");
          assertThat(cond.getMessage()).contains("does not allow volume expansion");
        }));
    assertThat(request(c, "www-web-0")).isEqualTo(new Quantity("1Gi"));
    assertThat(request(c, "www-web-1")).isEqualTo(new Quantity("1Gi"));
  }

  @Test
  void shrinkingIsRefusedAndChangesNothing() {
    Cluster c = withClass(true, 1);
    setTemplateStorage(c, "500Mi");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "ClaimsUpToDate")).hasValueSatisfying(cond -> {
          assertThat(cond.getStatus()).isEqualTo("False");
          assertThat(cond.getMessage()).contains("cannot shrink");
        }));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> new Quantity("1Gi").equals(request(c, "www-web-0")));
  }

  @Test
  void sameOrdinalReuseGivesARecreatedClaimItsReleasedVolumeBack() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-data", "5Gi");
    OrdinalSet set = c.web(1);
    set.getSpec().setVolumeReuse(new VolumeReuse(VolumeReuseType.SameOrdinal));
    c.create(set);
    c.awaitBound("www-web-0");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-data"));
    c.scale("web", 0);
    await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().isEmpty());
    c.client().persistentVolumeClaims().inNamespace(c.ns()).withName("www-web-0").delete();
    await().atMost(Cluster.TIMEOUT).until(() -> "Released".equals(c.pv("pv-data").getStatus().getPhase()));
    c.createPv("pv-smaller", "1Gi");
    c.scale("web", 1);
    c.awaitBound("www-web-0");
    c.awaitReady("web-0");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-data"));
    assertThat(c.pv("pv-data").getSpec().getClaimRef().getUid()).isEqualTo(c.claim("www-web-0").getMetadata().getUid());
    assertThat(c.pv("pv-smaller").getSpec().getClaimRef()).isNull();
  }

  @Test
  void reuseNeverTakesAVolumeReleasedByAnotherClaim() {
    Cluster c = new Cluster(harness());
    var foreign = Fixtures.pv(c.pvName("pv-foreign"), "1Gi", c.storageClass());
    foreign.getSpec().setClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim")
        .withNamespace(c.ns()).withName("data-other-0").withUid("gone-uid").build());
    foreign.getStatus().setPhase("Released");
    c.client().persistentVolumes().resource(foreign).create();
    OrdinalSet set = c.web(1);
    set.getSpec().setVolumeReuse(new VolumeReuse(VolumeReuseType.SameOrdinal));
    c.create(set);
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "StorageBound")).hasValueSatisfying(cond -> assertThat(cond.getStatus()).isEqualTo("False")));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
        c.pv("pv-foreign").getSpec().getClaimRef().getName().equals("data-other-0"));
    assertThat(c.claimPhase("www-web-0")).isNotEqualTo("Bound");
  }

  @Test
  void whenScaledDeleteMakesOnlyScaledAwayClaimsOwnedByTheirPods() {
    Cluster c = new Cluster(harness());
    for (int i = 0; i < 3; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    OrdinalSet set = c.web(3);
    set.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(RetentionPolicyType.Retain, RetentionPolicyType.Delete));
    c.create(set);
    c.awaitReady("web-0", "web-1", "web-2");
    String web2 = c.pod("web-2").getMetadata().getUid();
    String web1 = c.pod("web-1").getMetadata().getUid();
    c.scale("web", 1);
    await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().equals(List.of("web-0")));
    if (harness().isReal()) {
      // The cluster's garbage collector deletes what the condemned pods owned; the volumes stay.
      await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
        assertThat(c.claim("www-web-2")).as("www-web-2, owned by web-2").isNull();
        assertThat(c.claim("www-web-1")).as("www-web-1, owned by web-1").isNull();
      });
      assertThat(List.of(c.pv("pv-0"), c.pv("pv-1"), c.pv("pv-2"))).doesNotContainNull();
    } else {
      // The mock has no garbage collector: the ownerReferences are what a cluster's collector acts on.
      assertThat(c.claim("www-web-2").getMetadata().getOwnerReferences()).extracting(r -> r.getUid()).containsExactly(web2);
      assertThat(c.claim("www-web-1").getMetadata().getOwnerReferences()).extracting(r -> r.getUid()).containsExactly(web1);
    }
    assertThat(c.claim("www-web-0").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(c.claimPhase("www-web-0")).isEqualTo("Bound");
  }

  @Test
  void whenDeletedDeleteOwnsClaimsBySetButScaleDownKeepsThem() {
    Cluster c = new Cluster(harness());
    for (int i = 0; i < 2; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    OrdinalSet set = c.web(2);
    set.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(RetentionPolicyType.Delete, RetentionPolicyType.Retain));
    c.create(set);
    c.awaitReady("web-0", "web-1");
    String setUid = c.set("web").getMetadata().getUid();
    c.scale("web", 1);
    await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().equals(List.of("web-0")));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      assertThat(c.claim("www-web-1").getMetadata().getOwnerReferences()).extracting(r -> r.getUid()).containsExactly(setUid);
      assertThat(c.claim("www-web-0").getMetadata().getOwnerReferences()).extracting(r -> r.getUid()).containsExactly(setUid);
    });
    if (harness().isReal()) {
      // Deleting the set: the cluster's garbage collector takes its pods and, by the policy, its claims.
      c.client().resources(OrdinalSet.class).inNamespace(c.ns()).withName("web").delete();
      // the collector works through its graph at its own pace; on a loaded machine that took over 30 s
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(c.podNames()).isEmpty();
        assertThat(c.claim("www-web-0")).isNull();
        assertThat(c.claim("www-web-1")).isNull();
      });
      assertThat(List.of(c.pv("pv-0"), c.pv("pv-1"))).doesNotContainNull();
    }
  }
}
