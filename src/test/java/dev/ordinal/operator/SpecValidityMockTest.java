package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A spec the API server would accept (the mock validates nothing, like a server without the CRD's
 * CEL rules) but the operator cannot act on: SpecValid=False, a Warning Event, and no pod, claim
 * or volume touched. And the other half of "level-triggered": a converged set writes nothing.
 */
class SpecValidityMockTest {
  @RegisterExtension
  static final OperatorHarness harness = new OperatorHarness();

  private Cluster converged() {
    Cluster c = new Cluster(harness);
    c.createPv("pv-a", "1Gi");
    c.createPv("pv-b", "1Gi");
    c.create(c.web(2));
    c.awaitReady("web-0", "web-1");
    c.awaitBound("www-web-0", "www-web-1");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "Progressing")).hasValueSatisfying(cond -> assertThat(cond.getReason()).isEqualTo("Complete")));
    return c;
  }

  /** name -> resourceVersion of every pod, claim and volume of the test. */
  private static Map<String, String> versions(Cluster c) {
    Map<String, String> v = new TreeMap<>();
    Stream.<List<? extends HasMetadata>>of(
            c.client().pods().inNamespace(c.ns()).list().getItems(),
            c.client().persistentVolumeClaims().inNamespace(c.ns()).list().getItems(),
            c.client().persistentVolumes().list().getItems().stream().filter(pv -> pv.getMetadata().getName().startsWith(c.ns())).toList())
        .flatMap(List::stream)
        .forEach(o -> v.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
    return v;
  }

  private static void assertRefusedWithoutTouchingAnything(Cluster c, Map<String, String> before, String messageFragment) {
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      assertThat(c.condition("web", "SpecValid")).hasValueSatisfying(cond -> {
        assertThat(cond.getStatus()).isEqualTo("False");
        assertThat(cond.getMessage()).contains(messageFragment);
      });
      assertThat(c.events()).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("InvalidSpec");
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).contains(messageFragment);
      });
    });
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(versions(c)).isEqualTo(before));
  }

  @Test
  void selectorThatNoLongerMatchesTheTemplateIsRefusedAndNothingIsTouched() {
    Cluster c = converged();
    Map<String, String> before = versions(c);
    c.mergePatch("web", "{\"spec\":{\"replicas\":5,\"selector\":{\"matchLabels\":{\"app\":\"other\"}}}}");
    assertRefusedWithoutTouchingAnything(c, before, "selector does not match template.metadata.labels");
    // Fixing the spec resumes work.
    c.mergePatch("web", "{\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"nginx\"}}}}");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "SpecValid")).hasValueSatisfying(cond -> assertThat(cond.getStatus()).isEqualTo("True")));
  }

  @Test
  void claimTemplateNameThatCannotFormValidClaimNamesIsRefused() {
    Cluster c = converged();
    Map<String, String> before = versions(c);
    c.client().resources(dev.ordinal.api.v1alpha1.OrdinalSet.class).inNamespace(c.ns()).withName("web").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/volumeClaimTemplates/0/metadata/name\",\"value\":\"" + "W".repeat(70) + "\"}]");
    assertRefusedWithoutTouchingAnything(c, before, "must be a DNS label of at most 63 characters");
  }

  @Test
  void convergedSetIssuesNoWrites() {
    Cluster c = converged();
    Map<String, String> before = versions(c);
    var set = c.set("web");
    int requests = harness.requestCount();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> harness.requestCount() == requests);
    assertThat(versions(c)).isEqualTo(before);
    assertThat(c.set("web").getMetadata().getResourceVersion()).isEqualTo(set.getMetadata().getResourceVersion());
  }
}
