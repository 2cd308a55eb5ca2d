package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.Harness;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seeds' canonical example (shared/seeds-digest.md section 2) through the real operator loop. */
abstract class SeedsWalkthroughScenarios {
  /** The tier these scenarios run on. */
  protected abstract Harness harness();

  @Test
  void webWithTwoVolumesBindsBothClaimsAndPodsBecomeReady() {
    var client = harness().client();
    String ns = harness().namespace();
    client.persistentVolumes().resource(Fixtures.pv(ns + "-pv-a", "1Gi", "manual")).create();
    client.persistentVolumes().resource(Fixtures.pv(ns + "-pv-b", "1Gi", "manual")).create();
    client.resource(Fixtures.web(ns, 2)).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inNamespace(ns).withLabel("app", "nginx").list().getItems();
      assertThat(claims).extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder("www-web-0", "www-web-1");
      assertThat(claims).allSatisfy(c -> assertThat(c.getStatus()).isNotNull().extracting(s -> s.getPhase()).isEqualTo("Bound"));
      assertThat(client.pods().inNamespace(ns).list().getItems())
          .extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("web-0", "web-1");
      assertThat(harness().set("web").getStatus().getReadyReplicas()).isEqualTo(2);
    });
    Pod web0 = client.pods().inNamespace(ns).withName("web-0").get();
    assertThat(web0.getSpec().getHostname()).isEqualTo("web-0");
    assertThat(web0.getSpec().getSubdomain()).isEqualTo("nginx");
    assertThat(web0.getSpec().getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("www");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
    });
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).withName("www-web-0").get();
    var pv = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
    assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
    assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");
    OrdinalSet set = harness().set("web");
    assertThat(set.getStatus().getBoundClaims()).isEqualTo(2);
    assertThat(set.getStatus().getSelector()).isEqualTo("app=nginx");
    assertThat(set.getStatus().getObservedGeneration()).isEqualTo(set.getMetadata().getGeneration());
  }
}
