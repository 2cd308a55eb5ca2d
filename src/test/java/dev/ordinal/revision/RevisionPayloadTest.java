package dev.ordinal.revision;

import static dev.ordinal.revision.RevisionFixtures.HASH;
import static dev.ordinal.revision.RevisionFixtures.SERIALIZATION;
import static dev.ordinal.revision.RevisionFixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RevisionPayloadTest {

  /** Labels and annotations inserted in the given key order. */
  static PodTemplateSpec withKeysInOrder(List<String> keys) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    for (String key : keys) {
      labels.put(key, "v-" + key);
      annotations.put("a/" + key, key);
    }
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
        .withNewSpec()
        .withNodeSelector(new LinkedHashMap<>(labels))
        .withContainers(
            new ContainerBuilder().withName("c").withImage("nginx:1").withEnv(new EnvVar("A", "1", null)).build())
        .endSpec()
        .build();
  }

  static Stream<Arguments> keyOrders() {
    return Stream.of(
        Arguments.of(List.of("app", "tier", "zone"), List.of("zone", "tier", "app")),
        Arguments.of(List.of("b", "a"), List.of("a", "b")),
        Arguments.of(List.of("x"), List.of("x")));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("keyOrders")
  void sameTemplateGivesSameHashNameAndPayloadRegardlessOfMapKeyOrder(List<String> one, List<String> other) {
    PodTemplateSpec a = withKeysInOrder(one);
    PodTemplateSpec b = withKeysInOrder(other);

    assertThat(HASH.revisionName("web", a, 0)).isEqualTo(HASH.revisionName("web", b, 0)).startsWith("web-");
    assertThat(RevisionPayload.of(a)).isEqualTo(RevisionPayload.of(b));
  }

  @Test
  void payloadFromStoredDataWithShuffledKeysEqualsPayloadOfTheTemplate() {
    PodTemplateSpec original = withKeysInOrder(List.of("app", "tier"));
    JsonNode reordered = SERIALIZATION.convertValue(
        Map.of("spec", Map.of("template", Map.of(
            "spec", SERIALIZATION.convertValue(original.getSpec(), Map.class),
            "$patch", "replace",
            "metadata", SERIALIZATION.convertValue(original.getMetadata(), Map.class)))),
        JsonNode.class);

    assertThat(RevisionPayload.ofData(reordered)).contains(RevisionPayload.of(original));
  }

  @Test
  void payloadTextIsCanonicalSoEqualityIgnoresKeyOrderAndSpacing() {
    assertThat(new RevisionPayload("{ \"b\": 1, \"a\": {\"y\": null, \"x\": [2, 1]} }"))
        .isEqualTo(new RevisionPayload("{\"a\":{\"x\":[2,1]},\"b\":1}"))
        .extracting(RevisionPayload::json).isEqualTo("{\"a\":{\"x\":[2,1]},\"b\":1}");
  }

  @Test
  void payloadRecordsOnlyTheTemplateAsAReplacePatch() {
    JsonNode patch = SERIALIZATION.convertValue(RevisionPayload.of(template("nginx:1")).asData().getValue(), JsonNode.class);

    assertThat(patch.properties()).extracting(Map.Entry::getKey).containsExactly("spec");
    assertThat(patch.get("spec").properties()).extracting(Map.Entry::getKey).containsExactly("template");
    assertThat(patch.at("/spec/template/$patch").asText()).isEqualTo("replace");
    assertThat(patch.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1");
  }

  @Test
  void differentImagesGiveDifferentNamesAndPayloads() {
    assertThat(HASH.revisionName("web", template("nginx:1"), 0)).isNotEqualTo(HASH.revisionName("web", template("nginx:2"), 0));
    assertThat(RevisionPayload.of(template("nginx:1"))).isNotEqualTo(RevisionPayload.of(template("nginx:2")));
  }
}
