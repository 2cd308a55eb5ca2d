package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.testing.Cluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.ordinal.testing.Harness;
import dev.ordinal.testing.OperatorHarness;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StorageLifecycleScenarios} on the fabric8 mock API server. */
class StorageLifecycleMockTest extends StorageLifecycleScenarios {
  @RegisterExtension
  static final OperatorHarness harness = new OperatorHarness();

  @Override
  protected Harness harness() {
    return harness;
  }

  /**
   * Issue 13 (fault seed 90): scale 3 -> 1 under whenScaled Delete leaves www-web-1 and www-web-2
   * owned by their deleted pods; this mock has no garbage collector, so they stay, as in a cluster
   * whose collector has not got to them yet. Scaled back to 3, the set takes the claims back (the
   * stale pod owner goes, the set's whenDeleted owner comes) and the pods return on the same claims
   * and volumes, instead of waiting forever for a collector.
   */
  @Test
  void claimsStillOwnedByDeletedPodsAreTakenBackWhenTheirOrdinalsAreWantedAgain() {
    Cluster c = readyUnderDeletePolicies(3);
    String setUid = c.set("web").getMetadata().getUid();
    String web1 = c.pod("web-1").getMetadata().getUid();
    PersistentVolumeClaim before1 = c.claim("www-web-1");
    PersistentVolumeClaim before2 = c.claim("www-web-2");

    c.scale("web", 1);
    await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().equals(List.of("web-0")));
    assertThat(c.claim("www-web-1").getMetadata().getOwnerReferences()).as("the condemned pod alone owns its claim")
        .extracting(r -> r.getUid()).containsExactly(web1);

    c.scale("web", 3);
    c.awaitReady("web-1", "web-2");
    for (PersistentVolumeClaim before : List.of(before1, before2)) {
      PersistentVolumeClaim after = c.claim(before.getMetadata().getName());
      assertThat(after.getMetadata().getUid()).as("the same claim, taken back").isEqualTo(before.getMetadata().getUid());
      assertThat(after.getSpec().getVolumeName()).isEqualTo(before.getSpec().getVolumeName());
      assertThat(after.getMetadata().getOwnerReferences()).as("owned by the set only (whenDeleted Delete)")
          .extracting(r -> r.getUid()).containsExactly(setUid);
    }
    assertThat(c.condition("web", "Available")).hasValueSatisfying(cond -> assertThat(cond.getStatus()).isEqualTo("True"));
  }
}
