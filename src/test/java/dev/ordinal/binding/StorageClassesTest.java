package dev.ordinal.binding;

import static dev.ordinal.binding.Fixtures.defaultClass;
import static dev.ordinal.binding.Fixtures.storageClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StorageClassesTest {
  static Stream<Arguments> defaults() {
    StorageClass plain = storageClass("plain", "x", "Immediate");
    StorageClass falseDefault =
        new StorageClassBuilder(plain).editMetadata().withName("not-default")
            .addToAnnotations("storageclass.kubernetes.io/is-default-class", "false").endMetadata().build();
    StorageClass betaDefault =
        new StorageClassBuilder(plain).editMetadata().withName("beta")
            .addToAnnotations("storageclass.beta.kubernetes.io/is-default-class", "true").endMetadata().build();
    return Stream.of(
        arguments("noDefaultClass", List.of(plain, falseDefault), Optional.empty()),
        arguments("oneDefaultClass", List.of(plain, defaultClass("std", "2024-01-01T00:00:00Z")), Optional.of("std")),
        arguments("newestOfTwoDefaultsWins",
            List.of(defaultClass("old", "2024-01-01T00:00:00Z"), defaultClass("new", "2025-06-01T00:00:00Z")),
            Optional.of("new")),
        arguments("defaultsCreatedTogetherTieBreakByName",
            List.of(defaultClass("b", "2025-06-01T00:00:00Z"), defaultClass("a", "2025-06-01T00:00:00Z")),
            Optional.of("a")),
        arguments("defaultWithoutTimestampCountsAsOldest",
            List.of(defaultClass("a", null), defaultClass("z", "2020-01-01T00:00:00Z")), Optional.of("z")),
        arguments("betaAnnotationStillMarksDefault", List.of(plain, betaDefault), Optional.of("beta")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void defaultClassResolvesLikeKubernetes(String behaviour, List<StorageClass> classes, Optional<String> expected) {
    assertThat(StorageClasses.defaultClassName(classes)).isEqualTo(expected);
    assertThat(StorageClasses.of(classes).defaultClassName()).isEqualTo(expected);
  }

  @Test
  void answersBindingQuestionsAboutAClass() {
    StorageClass expandable =
        new StorageClassBuilder(storageClass("csi", "ebs.csi.aws.com", "WaitForFirstConsumer"))
            .withAllowVolumeExpansion(true).build();
    StorageClasses classes =
        StorageClasses.of(List.of(expandable, storageClass("local", StorageClasses.NO_PROVISIONER, null)));

    assertThat(classes.provisioner("csi")).contains("ebs.csi.aws.com");
    assertThat(classes.isWaitForFirstConsumer("csi")).isTrue();
    assertThat(classes.allowsExpansion("csi")).isTrue();
    assertThat(classes.provisionsDynamically("csi")).isTrue();
    assertThat(classes.isWaitForFirstConsumer("local")).isFalse();
    assertThat(classes.allowsExpansion("local")).isFalse();
    assertThat(classes.provisionsDynamically("local")).isFalse();
    assertThat(classes.provisioner("missing")).isEmpty();
    assertThat(classes.provisionsDynamically("")).isFalse();
  }
}
