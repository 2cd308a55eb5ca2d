package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.naming.Labels;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which caches drop managedFields, and that dropping them never loses objects. The mock API server
 * stores managedFields as a client sends them (it writes none itself), so the pods here carry one
 * entry each; that a real API server's objects lose theirs is {@code CacheTrimRealTest}'s part.
 *
 * <p>The danger: JOSDK gives every per-namespace informer of a source the same item store, and an
 * informer's list removes from that store whatever it did not return itself, so a store shared by
 * two namespaces would lose the other namespace's objects ({@code dev.ordinal.operator.cache.CacheTrim}).
 */
class CacheTrimMockTest {
  private static final int PODS_PER_NAMESPACE = 40;

  @RegisterExtension
  static final OperatorHarness harness = OperatorHarness.withoutOperator();

  private OrdinalOperator operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  private OrdinalOperator start(Set<String> namespaces) {
    operator = OrdinalOperator.create(harness.client(), OperatorConfig.local(namespaces).withProgressDeadline(OperatorHarness.PROGRESS_DEADLINE),
        new SimpleMeterRegistry(), Instant::now);
    operator.start();
    return operator;
  }

  private void createLabelledPods(String namespace) {
    IntStream.range(0, PODS_PER_NAMESPACE).forEach(i -> harness.client().pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName("p-" + i).withNamespace(namespace).addToLabels(Labels.SET_NAME, "nowhere")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Update").withApiVersion("v1").build())
        .endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create());
  }

  private List<HasMetadata> cached(String source, String namespace) {
    return operator.cachedSources().stream().filter(s -> s.name().equals(source)).findFirst().orElseThrow().objects().stream()
        .filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
  }

  private boolean drops(String source) {
    return operator.cachedSources().stream().filter(s -> s.name().equals(source)).findFirst().orElseThrow().dropsManagedFields();
  }

  @Test
  void oneWatchedNamespaceCachesPodsWithoutManagedFields() {
    String ns = harness.namespace();
    createLabelledPods(ns);

    start(Set.of(ns));

    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> assertThat(cached("ordinalset/pods", ns)).hasSize(PODS_PER_NAMESPACE));
    assertThat(cached("ordinalset/pods", ns)).allSatisfy(p -> {
      assertThat(p.getMetadata().getManagedFields()).isNull();
      assertThat(p.getMetadata().getLabels()).containsEntry(Labels.SET_NAME, "nowhere");
      assertThat(p.getMetadata().getUid()).isNotNull();
      assertThat(p.getMetadata().getResourceVersion()).isNotNull();
      assertThat(((Pod) p).getSpec().getContainers()).hasSize(1);
    });
    assertThat(harness.client().pods().inNamespace(ns).withName("p-0").get().getMetadata().getManagedFields())
        .as("the server's copy is untouched").hasSize(1);
    assertThat(operator.cachedSources()).allSatisfy(s -> assertThat(s.dropsManagedFields()).as(s.name()).isTrue());
  }

  @Test
  void severalWatchedNamespacesKeepEveryObjectOfEachNamespaceInTheCaches() {
    String a = harness.namespace() + "-a";
    String b = harness.namespace() + "-b";
    String c = harness.namespace() + "-c";
    createLabelledPods(a);
    createLabelledPods(b);
    createLabelledPods(c);

    start(Set.of(a, b, c));

    // With one store shared by the three namespaces' informers this fails: every informer's cache
    // then holds all 120 pods, so the source lists each pod three times (seen when CacheTrim was
    // forced on: "Expected size: 40 but was: 120"), and an informer's list removes from the store
    // what it did not return itself, i.e. the other namespaces' pods, until their next event.
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      for (String ns : List.of(a, b, c)) {
        assertThat(cached("ordinalset/pods", ns)).as("pods cached in " + ns).hasSize(PODS_PER_NAMESPACE);
      }
    });
    for (String ns : List.of(a, b, c)) {
      assertThat(cached("ordinalset/pods", ns)).as("still cached in " + ns + " after the first check").hasSize(PODS_PER_NAMESPACE)
          .allSatisfy(p -> assertThat(p.getMetadata().getManagedFields()).as("kept: JOSDK's own store per informer").hasSize(1));
    }
    assertThat(drops("ordinalset/pods")).isFalse();
    assertThat(drops("ordinalset/claims")).isFalse();
    assertThat(drops("ordinalset/revisions")).isFalse();
    assertThat(drops("ordinalset/volumes")).as("cluster-scoped: one informer whatever the namespaces").isTrue();
    assertThat(drops("ordinalset/nodes")).isTrue();
  }
}
