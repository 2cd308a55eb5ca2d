package dev.ordinal.revision;

import static dev.ordinal.revision.RevisionFixtures.SERIALIZATION;
import static dev.ordinal.revision.RevisionFixtures.stored;
import static dev.ordinal.revision.RevisionFixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateOfRevisionTest {

  static PodTemplateSpec rich() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(Map.of("app", "nginx", "tier", "web"))
        .withAnnotations(Map.of("note", "x"))
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(10L)
        .withContainers(
            new ContainerBuilder()
                .withName("nginx")
                .withImage("nginx:1.9.1")
                .withArgs("-g", "daemon off;")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("64Mi")))
                .endResources()
                .addNewPort().withContainerPort(80).withName("web").endPort()
                .build())
        .endSpec()
        .build();
  }

  static Stream<Arguments> dataShapes() {
    Function<PodTemplateSpec, Object> asRawExtension = t -> RevisionPayload.of(t).asData();
    Function<PodTemplateSpec, Object> asMap = t -> RevisionPayload.of(t).asData().getValue();
    Function<PodTemplateSpec, Object> asJsonNode =
        t -> SERIALIZATION.convertValue(RevisionPayload.of(t).asData().getValue(), JsonNode.class);
    Function<PodTemplateSpec, Object> asString = t -> RevisionPayload.of(t).json();
    Function<PodTemplateSpec, Object> readByFabric8 =
        t -> stored("web-x", t, 1).getData();
    return Stream.of(
        Arguments.of("data as a RawExtension", asRawExtension),
        Arguments.of("data as a Map", asMap),
        Arguments.of("data as a JsonNode", asJsonNode),
        Arguments.of("data as a JSON string", asString),
        Arguments.of("data as fabric8 reads it from the API", readByFabric8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dataShapes")
  void templateRecoveredFromARevisionEqualsTheOriginal(String shape, Function<PodTemplateSpec, Object> data) {
    for (PodTemplateSpec original : new PodTemplateSpec[] {template("nginx:1.9.1"), rich()}) {
      ControllerRevision revision =
          new ControllerRevisionBuilder().withNewMetadata().withName("web-x").endMetadata()
              .withData(data.apply(original)).withRevision(1L).build();

      PodTemplateSpec recovered = TemplateOfRevision.of(revision).orElseThrow();

      assertThat(recovered).isEqualTo(original);
      assertThat(recovered.getAdditionalProperties()).doesNotContainKey("$patch");
    }
  }

  static Stream<Arguments> unreadable() {
    return Stream.of(
        Arguments.of("no data", null),
        Arguments.of("not JSON", "{nope"),
        Arguments.of("no spec", Map.of("other", 1)),
        Arguments.of("no template", Map.of("spec", Map.of("replicas", 3))),
        Arguments.of("template not an object", Map.of("spec", Map.of("template", "x"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void revisionWithoutATemplateYieldsNothing(String why, Object data) {
    ControllerRevision revision =
        new ControllerRevisionBuilder().withNewMetadata().withName("web-x").endMetadata().withData(data).build();

    assertThat(TemplateOfRevision.of(revision)).isEmpty();
    assertThat(RevisionPayload.of(revision)).isEmpty();
  }
}
