package dev.ordinal.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorMatcherTest {
  private static LabelSelector expr(String key, String operator, String... values) {
    return new LabelSelectorBuilder()
        .withMatchExpressions(new LabelSelectorRequirement(key, operator, List.of(values)))
        .build();
  }

  static Stream<Arguments> cases() {
    Map<String, String> db = Map.of("tier", "db", "zone", "a");
    return Stream.of(
        arguments("nullSelectorMatchesEverything", null, Map.of(), true),
        arguments("emptySelectorMatchesEverything", new LabelSelector(), db, true),
        arguments("matchLabelsEqual", Fixtures.matchLabels("tier", "db"), db, true),
        arguments("matchLabelsDifferentValue", Fixtures.matchLabels("tier", "web"), db, false),
        arguments("matchLabelsMissingKey", Fixtures.matchLabels("ssd", "true"), db, false),
        arguments("inMatchesListedValue", expr("zone", "In", "a", "b"), db, true),
        arguments("inRejectsOtherValue", expr("zone", "In", "b"), db, false),
        arguments("inRejectsMissingLabel", expr("ssd", "In", "true"), db, false),
        arguments("notInRejectsListedValue", expr("zone", "NotIn", "a"), db, false),
        arguments("notInMatchesMissingLabel", expr("ssd", "NotIn", "true"), db, true),
        arguments("existsMatchesPresentLabel", expr("tier", "Exists"), db, true),
        arguments("existsRejectsMissingLabel", expr("ssd", "Exists"), db, false),
        arguments("doesNotExistMatchesMissingLabel", expr("ssd", "DoesNotExist"), db, true),
        arguments("doesNotExistRejectsPresentLabel", expr("tier", "DoesNotExist"), db, false),
        arguments("unknownOperatorMatchesNothing", expr("tier", "Like", "d"), db, false),
        arguments("labelsAndExpressionsAreAnded",
            new LabelSelectorBuilder(Fixtures.matchLabels("tier", "db"))
                .withMatchExpressions(new LabelSelectorRequirement("zone", "In", List.of("b")))
                .build(),
            db, false),
        arguments("nullLabelsAreEmpty", expr("ssd", "DoesNotExist"), null, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesLikeKubernetesLabelSelectors(
      String behaviour, LabelSelector selector, Map<String, String> labels, boolean expected) {
    assertThat(SelectorMatcher.matches(selector, labels)).isEqualTo(expected);
  }
}
