package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.operator.health.InformerHealth;
import dev.ordinal.spec.StatefulSetDefinitions;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage mode's own logic through the real operator loop on the mock API server, which has
 * no StatefulSet controller and no PV binder: the claims there are ours alone. What depends on
 * those controllers is proven in {@link StatefulSetStorageRealTest}.
 */
class StatefulSetStorageMockTest {
  @RegisterExtension
  static final OperatorHarness harness = new OperatorHarness();

  private static StatefulSet create(Cluster c, StatefulSet sts) {
    return c.client().apps().statefulSets().inNamespace(c.ns()).resource(sts).create();
  }

  @Test
  void everyDesiredOrdinalGetsItsClaimBoundBeforeAnyPodExists() {
    Cluster c = new Cluster(harness);
    c.createPv("pv-big", "5Gi");
    c.createPv("pv-a", "1Gi");
    c.createPv("pv-b", "1Gi");

    create(c, Fixtures.statefulSet(c.ns(), "web", 2, c.storageClass(), "1Gi"));

    c.awaitBound("www-web-0", "www-web-1");
    assertThat(c.claim("www-web-0").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-a"));
    assertThat(c.claim("www-web-1").getSpec().getVolumeName()).isEqualTo(c.pvName("pv-b"));
    assertThat(c.claim("www-web-0").getMetadata().getLabels()).isEqualTo(Map.of("app", "nginx"));
    assertThat(c.podNames()).as("pods are the StatefulSet controller's").isEmpty();
  }

  @Test
  void aSetThatCannotBeReadGetsAWarningAndNothingElse() {
    Cluster c = new Cluster(harness);
    c.createPv("pv-a", "1Gi");
    StatefulSet sts = Fixtures.statefulSet(c.ns(), "web", 1, c.storageClass(), "1Gi");
    sts.getMetadata().setAnnotations(Map.of(StatefulSetDefinitions.VOLUME_REUSE_ANNOTATION, "Sometimes"));

    create(c, sts);

    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> assertThat(c.events()).anySatisfy(e -> {
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("StatefulSet");
      assertThat(e.getReason()).isEqualTo("InvalidSpec");
      assertThat(e.getMessage()).contains("Sometimes");
    }));
    assertThat(c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems()).isEmpty();
  }

  @Test
  void anUnlabelledSetIsLeftAlone() throws Exception {
    Cluster c = new Cluster(harness);
    c.createPv("pv-a", "1Gi");
    StatefulSet sts = Fixtures.statefulSet(c.ns(), "plain", 1, c.storageClass(), "1Gi");
    sts.getMetadata().setLabels(Map.of());

    create(c, sts);

    Thread.sleep(1_500);
    assertThat(c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems()).isEmpty();
    assertThat(c.pv("pv-a").getSpec().getClaimRef()).isNull();
  }

  @Test
  void turnedOffTheModeWatchesNoStatefulSet() {
    OrdinalOperator off = OrdinalOperator.create(harness.client(), OperatorConfig.local(Set.of("nowhere")).withStatefulSetStorage(false),
        new SimpleMeterRegistry(), Instant::now);
    try {
      off.start();
      assertThat(off.informers()).extracting(InformerHealth.Informer::name).isNotEmpty()
          .noneMatch(name -> name.startsWith("statefulset-storage"));
    } finally {
      off.close();
    }
  }
}
