package dev.ordinal.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.Ordinals;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.api.v1alpha1.RollingUpdate;
import dev.ordinal.api.v1alpha1.UpdateStrategy;
import dev.ordinal.api.v1alpha1.UpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeClaimUpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeReuseType;
import dev.ordinal.testing.Fixtures;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the validator refuses, and the defaults it fills in for a valid set. */
class SpecValidatorTest {
  private static final SpecValidator VALIDATOR = new SpecValidator();

  private static SpecValidation validate(Consumer<OrdinalSet> edit) {
    OrdinalSet set = Fixtures.web("default", 2);
    edit.accept(set);
    return VALIDATOR.validate(set);
  }

  private static Arguments invalid(String behaviour, Consumer<OrdinalSet> edit, String problem) {
    return arguments(behaviour, edit, problem);
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        invalid("negative replicas", s -> s.getSpec().setReplicas(-1), "replicas must be >= 0, not -1"),
        invalid("negative ordinals.start", s -> s.getSpec().setOrdinals(new Ordinals(-2)), "ordinals.start must be >= 0, not -2"),
        invalid("negative minReadySeconds", s -> s.getSpec().setMinReadySeconds(-5), "minReadySeconds must be >= 0, not -5"),
        invalid("negative revisionHistoryLimit", s -> s.getSpec().setRevisionHistoryLimit(-1), "revisionHistoryLimit must be >= 0"),
        invalid("negative partition", s -> s.getSpec().setUpdateStrategy(new UpdateStrategy(null, new RollingUpdate(-1, null))),
            "updateStrategy.rollingUpdate.partition must be >= 0, not -1"),
        invalid("start + replicas overflow", s -> {
          s.getSpec().setOrdinals(new Ordinals(Integer.MAX_VALUE));
          s.getSpec().setReplicas(2);
        }, "ordinals.start + replicas must not exceed"),
        invalid("missing selector", s -> s.getSpec().setSelector(null), "selector must not be empty"),
        invalid("empty selector", s -> s.getSpec().setSelector(new LabelSelector()), "selector must not be empty"),
        invalid("selector not matching the template labels",
            s -> s.getSpec().setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "mysql")).build()),
            "selector does not match template.metadata.labels"),
        invalid("selector expression not matching the template labels",
            s -> s.getSpec().setSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("Exists").endMatchExpression().build()),
            "selector does not match template.metadata.labels"),
        invalid("duplicate claim template names",
            s -> s.getSpec().getVolumeClaimTemplates().add(Fixtures.claimTemplate("www", "manual", "1Gi", "ReadWriteOnce")),
            "volumeClaimTemplates names must be unique: www appears twice"),
        invalid("claim template without a name",
            s -> s.getSpec().getVolumeClaimTemplates().get(0).getMetadata().setName(null), "every volumeClaimTemplate needs metadata.name"),
        invalid("claim template name that is not a DNS label",
            s -> s.getSpec().getVolumeClaimTemplates().get(0).getMetadata().setName("WWW_data"), "volumeClaimTemplate name WWW_data must be a DNS label"),
        invalid("claim template name longer than 63",
            s -> s.getSpec().getVolumeClaimTemplates().get(0).getMetadata().setName("a".repeat(64)), "must be a DNS label of at most 63 characters"),
        invalid("claim name <template>-<set>-<ordinal> longer than 253",
            s -> s.getSpec().getVolumeClaimTemplates().get(0).getMetadata().setName("a".repeat(250)),
            "claim name " + "a".repeat(250) + "-web-1 would be longer than 253 characters"),
        invalid("claim template without a storage request",
            s -> s.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().setRequests(Map.of()),
            "volumeClaimTemplate www needs spec.resources.requests.storage"),
        invalid("claim template with a zero storage request",
            s -> s.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().setRequests(
                Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("0"))),
            "storage request must be positive"),
        invalid("maxUnavailable 0", s -> s.getSpec().setUpdateStrategy(new UpdateStrategy(null, new RollingUpdate(null, new IntOrString(0)))),
            "maxUnavailable must be an integer >= 1 or a percentage between 1% and 100%, not 0"),
        invalid("maxUnavailable 0%", s -> s.getSpec().setUpdateStrategy(new UpdateStrategy(null, new RollingUpdate(null, new IntOrString("0%")))),
            "not 0%"),
        invalid("maxUnavailable 150%", s -> s.getSpec().setUpdateStrategy(new UpdateStrategy(null, new RollingUpdate(null, new IntOrString("150%")))),
            "not 150%"),
        invalid("maxUnavailable not a number", s -> s.getSpec().setUpdateStrategy(new UpdateStrategy(null, new RollingUpdate(null, new IntOrString("two")))),
            "not two"),
        invalid("rollingUpdate with OnDelete",
            s -> s.getSpec().setUpdateStrategy(new UpdateStrategy(UpdateStrategyType.OnDelete, new RollingUpdate(1, null))),
            "updateStrategy.rollingUpdate may only be set when type is RollingUpdate"),
        invalid("restartPolicy Never", s -> s.getSpec().getTemplate().getSpec().setRestartPolicy("Never"),
            "template.spec.restartPolicy must be Always, not Never"),
        invalid("restartPolicy OnFailure", s -> s.getSpec().getTemplate().getSpec().setRestartPolicy("OnFailure"),
            "template.spec.restartPolicy must be Always, not OnFailure"),
        invalid("no containers", s -> s.getSpec().getTemplate().getSpec().setContainers(null), "template.spec.containers must not be empty"),
        invalid("no template", s -> s.getSpec().setTemplate(null), "template.spec is required"),
        invalid("set name longer than 52", s -> s.getMetadata().setName("w".repeat(53)), "metadata.name must be at most 52 characters"),
        invalid("set name not a DNS label", s -> s.getMetadata().setName("Web"), "metadata.name must be a DNS label"),
        invalid("no spec", s -> s.setSpec(null), "spec is missing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void invalidSpecIsRefusedWithAProblemMessage(String behaviour, Consumer<OrdinalSet> edit, String problem) {
    SpecValidation validation = validate(edit);

    assertThat(validation.isValid()).isFalse();
    assertThat(validation.definition()).isEmpty();
    assertThat(validation.problems()).anySatisfy(p -> assertThat(p).contains(problem));
    assertThat(validation.summary()).isNotBlank();
  }

  @Test
  void longestLegalNamesGiveValidClaimNames() {
    SpecValidation validation = validate(s -> {
      s.getMetadata().setName("w".repeat(52));
      s.getSpec().getVolumeClaimTemplates().get(0).getMetadata().setName("d".repeat(63));
      s.getSpec().setOrdinals(new Ordinals(Integer.MAX_VALUE - 1));
      s.getSpec().setReplicas(1);
    });
    // 63 + 1 + 52 + 1 + 10 digits = 127 characters: a claim name only exceeds 253 with a template name that is invalid anyway
    assertThat(validation.problems()).isEmpty();
  }

  @Test
  void validSpecGetsEveryDocumentedDefault() {
    OrdinalSet set = Fixtures.web("default", 2);
    set.getSpec().setReplicas(null);
    set.getMetadata().setUid("uid-1");
    set.getMetadata().setGeneration(4L);

    SpecValidation validation = VALIDATOR.validate(set);

    assertThat(validation.problems()).isEmpty();
    SetDefinition def = validation.definition().orElseThrow();
    assertThat(def.replicas()).isEqualTo(1);
    assertThat(def.start()).isZero();
    assertThat(def.podManagementPolicy()).isEqualTo(PodManagementPolicy.OrderedReady);
    assertThat(def.updateStrategy()).isEqualTo(UpdateStrategyType.RollingUpdate);
    assertThat(def.partition()).isZero();
    assertThat(def.maxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(def.minReadySeconds()).isZero();
    assertThat(def.revisionHistoryLimit()).isEqualTo(10);
    assertThat(def.whenDeleted()).isEqualTo(RetentionPolicyType.Retain);
    assertThat(def.whenScaled()).isEqualTo(RetentionPolicyType.Retain);
    assertThat(def.volumeClaimUpdateStrategy()).isEqualTo(VolumeClaimUpdateStrategyType.InPlace);
    assertThat(def.volumeReuse()).isEqualTo(VolumeReuseType.Never);
    assertThat(def.uid()).isEqualTo("uid-1");
    assertThat(def.generation()).isEqualTo(4L);
    assertThat(def.claimTemplateNames()).containsExactly("www");
    assertThat(set.getSpec().getReplicas()).as("defaults are never written back into the spec").isNull();
  }

  static Stream<Arguments> validSpecs() {
    return Stream.of(
        arguments("zero replicas", (Consumer<OrdinalSet>) s -> s.getSpec().setReplicas(0)),
        arguments("no claim templates", (Consumer<OrdinalSet>) s -> s.getSpec().setVolumeClaimTemplates(null)),
        arguments("restartPolicy Always", (Consumer<OrdinalSet>) s -> s.getSpec().getTemplate().getSpec().setRestartPolicy("Always")),
        arguments("maxUnavailable 100%", (Consumer<OrdinalSet>) s -> s.getSpec().setUpdateStrategy(
            new UpdateStrategy(null, new RollingUpdate(3, new IntOrString("100%"))))),
        arguments("OnDelete without rollingUpdate", (Consumer<OrdinalSet>) s -> s.getSpec().setUpdateStrategy(
            new UpdateStrategy(UpdateStrategyType.OnDelete, null))),
        arguments("selector expression matching the labels", (Consumer<OrdinalSet>) s -> s.getSpec().setSelector(
            new LabelSelectorBuilder().addNewMatchExpression().withKey("app").withOperator("In").withValues("nginx", "web").endMatchExpression().build())),
        arguments("ordinals.start at the top of the range", (Consumer<OrdinalSet>) s -> {
          s.getSpec().setOrdinals(new Ordinals(Integer.MAX_VALUE - 2));
          s.getSpec().setReplicas(2);
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSpecs")
  void validSpecIsAccepted(String behaviour, Consumer<OrdinalSet> edit) {
    SpecValidation validation = validate(edit);

    assertThat(validation.problems()).isEmpty();
    assertThat(validation.definition()).isPresent();
  }

  @Test
  void explicitValuesAreKept() {
    SetDefinition def = validate(s -> {
      s.getSpec().setReplicas(5);
      s.getSpec().setOrdinals(new Ordinals(2));
      s.getSpec().setPodManagementPolicy(PodManagementPolicy.Parallel);
      s.getSpec().setUpdateStrategy(new UpdateStrategy(UpdateStrategyType.RollingUpdate, new RollingUpdate(3, new IntOrString("50%"))));
      s.getSpec().setMinReadySeconds(7);
      s.getSpec().setPersistentVolumeClaimRetentionPolicy(
          new dev.ordinal.api.v1alpha1.PersistentVolumeClaimRetentionPolicy(RetentionPolicyType.Delete, RetentionPolicyType.Delete));
    }).definition().orElseThrow();

    assertThat(def.endExclusive()).isEqualTo(7);
    assertThat(def.inRange(1)).isFalse();
    assertThat(def.inRange(2)).isTrue();
    assertThat(def.inRange(6)).isTrue();
    assertThat(def.inRange(7)).isFalse();
    assertThat(def.isParallel()).isTrue();
    assertThat(def.partition()).isEqualTo(3);
    assertThat(def.maxUnavailable()).isEqualTo(new IntOrString("50%"));
    assertThat(def.minReadySeconds()).isEqualTo(7);
    assertThat(def.whenDeleted()).isEqualTo(RetentionPolicyType.Delete);
    assertThat(def.whenScaled()).isEqualTo(RetentionPolicyType.Delete);
  }
}
