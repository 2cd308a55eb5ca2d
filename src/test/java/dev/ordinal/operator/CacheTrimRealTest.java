package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.real.RealHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real API server writes managedFields on every object; the operator's caches (both controllers,
 * the sets themselves included) hold the same objects without them, and the operator still
 * converges from what its informers hand it.
 */
class CacheTrimRealTest {
  @RegisterExtension
  static final RealHarness harness = new RealHarness();

  @Test
  void theOperatorCachesObjectsWithoutTheManagedFieldsTheApiServerKeeps() {
    Cluster c = new Cluster(harness);
    c.createPv("pv-a", "1Gi");
    c.createPv("pv-b", "1Gi");
    c.create(c.web(1));
    StatefulSet db = Fixtures.statefulSet(c.ns(), "db", 1, c.storageClass(), "1Gi");
    // its own pod labels, so that the StatefulSet's selector does not also match the OrdinalSet's pod
    db.getSpec().getSelector().setMatchLabels(Map.of("app", "db"));
    db.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "db"));
    c.client().apps().statefulSets().inNamespace(c.ns()).resource(db).create();

    c.awaitBound("www-web-0", "www-db-0");
    c.awaitReady("web-0");

    List<HasMetadata> onServer = List.of(c.set("web"), c.pod("web-0"), c.claim("www-web-0"), c.claim("www-db-0"),
        c.client().persistentVolumes().withName(c.claim("www-web-0").getSpec().getVolumeName()).get(),
        c.client().apps().statefulSets().inNamespace(c.ns()).withName("db").get());
    assertThat(onServer).allSatisfy(o -> assertThat(o.getMetadata().getManagedFields())
        .as("the API server's " + o.getKind() + " " + o.getMetadata().getName()).isNotEmpty());

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var sources = harness.operator().cachedSources();
      for (HasMetadata server : onServer) {
        var copies = sources.stream().flatMap(s -> s.objects().stream())
            .filter(o -> o.getMetadata().getUid().equals(server.getMetadata().getUid())).toList();
        assertThat(copies).as("cached copies of " + server.getKind() + " " + server.getMetadata().getName()).isNotEmpty()
            .allSatisfy(o -> assertThat(o.getMetadata().getManagedFields()).isNull());
      }
    });
    var sources = harness.operator().cachedSources();
    assertThat(sources).extracting(OrdinalOperator.CachedSource::name)
        .contains("ordinalset/pods", "ordinalset/claims", "ordinalset/volumes");
    assertThat(sources).allSatisfy(s -> {
      assertThat(s.dropsManagedFields()).as(s.name() + " drops managedFields (one informer: all namespaces)").isTrue();
      assertThat(s.objects()).as(s.name()).allSatisfy(o -> assertThat(o.getMetadata().getManagedFields()).isNull());
    });
  }
}
