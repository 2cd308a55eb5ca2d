package dev.ordinal.binding;

import static dev.ordinal.binding.Fixtures.fieldTerm;
import static dev.ordinal.binding.Fixtures.node;
import static dev.ordinal.binding.Fixtures.requirement;
import static dev.ordinal.binding.Fixtures.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityMatcherTest {
  private static final Node NODE = node("n1", "zone", "a", "cores", "8", "kubernetes.io/hostname", "n1");

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("inMatches", List.of(term(requirement("zone", "In", "a", "b"))), true),
        arguments("inRejects", List.of(term(requirement("zone", "In", "b"))), false),
        arguments("notInMatchesMissingLabel", List.of(term(requirement("gpu", "NotIn", "x"))), true),
        arguments("notInRejects", List.of(term(requirement("zone", "NotIn", "a"))), false),
        arguments("existsMatches", List.of(term(requirement("zone", "Exists"))), true),
        arguments("doesNotExistRejects", List.of(term(requirement("zone", "DoesNotExist"))), false),
        arguments("gtMatchesLargerInteger", List.of(term(requirement("cores", "Gt", "4"))), true),
        arguments("gtRejectsEqual", List.of(term(requirement("cores", "Gt", "8"))), false),
        arguments("ltMatchesSmallerInteger", List.of(term(requirement("cores", "Lt", "16"))), true),
        arguments("gtRejectsNonInteger", List.of(term(requirement("zone", "Gt", "1"))), false),
        arguments("gtRejectsMissingLabel", List.of(term(requirement("gpu", "Gt", "1"))), false),
        arguments("expressionsInATermAreAnded",
            List.of(term(requirement("zone", "In", "a"), requirement("cores", "Lt", "4"))), false),
        arguments("termsAreOred",
            List.of(term(requirement("zone", "In", "b")), term(requirement("cores", "Gt", "4"))), true),
        arguments("matchFieldsOnNodeName", List.of(fieldTerm(requirement("metadata.name", "In", "n1"))), true),
        arguments("matchFieldsNotInNodeName", List.of(fieldTerm(requirement("metadata.name", "NotIn", "n1"))), false),
        arguments("matchFieldsOnOtherFieldMatchesNothing",
            List.of(fieldTerm(requirement("metadata.namespace", "In", "n1"))), false),
        arguments("emptyTermMatchesNothing", List.of(new NodeSelectorTerm()), false),
        arguments("noTermsMatchNothing", List.of(), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesLikeKubernetesNodeSelectors(String behaviour, List<NodeSelectorTerm> terms, boolean expected) {
    assertThat(NodeAffinityMatcher.matches(new NodeSelector(terms), NODE)).isEqualTo(expected);
  }

  @Test
  void volumeWithoutNodeAffinityIsAdmittedEverywhere() {
    assertThat(NodeAffinityMatcher.admits(Fixtures.pv("pv").build(), NODE)).isTrue();
  }

  @Test
  void assumedNodeCarriesOnlyItsNameAndHostnameLabel() {
    Node assumed = NodeAffinityMatcher.assumedNode("n9");

    assertThat(assumed.getMetadata().getName()).isEqualTo("n9");
    assertThat(assumed.getMetadata().getLabels()).containsExactlyEntriesOf(java.util.Map.of("kubernetes.io/hostname", "n9"));
  }
}
