package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Harness;
import dev.ordinal.testing.real.RealHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StorageLifecycleScenarios} on a real control plane, the operator running as the chart's ServiceAccount. */
class StorageLifecycleRealTest extends StorageLifecycleScenarios {
  @RegisterExtension
  static final RealHarness harness = new RealHarness();

  @Override
  protected Harness harness() {
    return harness;
  }

  /**
   * Issue 13 (fault seed 90) where the real garbage collector decides: scaled 3 -> 1 under
   * whenScaled Delete and straight back to 3, each scaled-away claim is either deleted by the
   * collector first (then a new claim is created) or taken back by the set first. Either way the
   * set converges: every pod Ready on a Bound claim owned by the set alone, never a wait.
   */
  @Test
  void scaleDownAndStraightBackUpConvergesWhicheverTheGarbageCollectorOrTheSetWins() {
    Cluster c = readyUnderDeletePolicies(5);
    String setUid = c.set("web").getMetadata().getUid();
    c.scale("web", 1);
    await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().equals(List.of("web-0")));
    c.scale("web", 3);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(c.podNames()).containsExactly("web-0", "web-1", "web-2");
      for (int i = 0; i < 3; i++) {
        assertThat(c.isReady("web-" + i)).as("web-" + i + " Ready").isTrue();
        var claim = c.claim("www-web-" + i);
        assertThat(claim).as("www-web-" + i).isNotNull();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(claim.getMetadata().getOwnerReferences()).extracting(r -> r.getUid()).containsExactly(setUid);
      }
      assertThat(c.condition("web", "Available")).hasValueSatisfying(cond -> assertThat(cond.getStatus()).isEqualTo("True"));
    });
  }
}
