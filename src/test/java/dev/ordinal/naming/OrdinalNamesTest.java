package dev.ordinal.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Names are the identity of a set: a pod name parses back to its ordinal only in the exact form. */
class OrdinalNamesTest {
  static Stream<Arguments> podNames() {
    return Stream.of(
        arguments("web-0", OptionalInt.of(0)),
        arguments("web-1", OptionalInt.of(1)),
        arguments("web-12", OptionalInt.of(12)),
        arguments("web-2147483647", OptionalInt.of(Integer.MAX_VALUE)),
        arguments("web-2147483648", OptionalInt.empty()),
        arguments("web-01", OptionalInt.empty()),
        arguments("web-00", OptionalInt.empty()),
        arguments("web-x", OptionalInt.empty()),
        arguments("web-1x", OptionalInt.empty()),
        arguments("web--1", OptionalInt.empty()),
        arguments("web-+1", OptionalInt.empty()),
        arguments("web-", OptionalInt.empty()),
        arguments("web", OptionalInt.empty()),
        arguments("web0", OptionalInt.empty()),
        arguments("webapp-0", OptionalInt.empty()),
        arguments("other-0", OptionalInt.empty()),
        arguments("web-db-0", OptionalInt.empty()),
        arguments("web-\u0661", OptionalInt.empty()),
        arguments("", OptionalInt.empty()),
        arguments(null, OptionalInt.empty()));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("podNames")
  void ordinalOfAcceptsOnlySetNameDashCanonicalDecimal(String podName, OptionalInt expected) {
    assertThat(OrdinalNames.ordinalOf("web", podName)).isEqualTo(expected);
  }

  @Test
  void podAndClaimNamesFollowTheStatefulSetScheme() {
    assertThat(OrdinalNames.podName("web", 3)).isEqualTo("web-3");
    assertThat(OrdinalNames.claimName("www", "web", 3)).isEqualTo("www-web-3");
    assertThat(OrdinalNames.ordinalOf("web", OrdinalNames.podName("web", 42))).hasValue(42);
  }

  @Test
  void aSetWhoseNameEndsInADashNumberDoesNotAdoptItsNeighboursPods() {
    assertThat(OrdinalNames.ordinalOf("web-1", "web-1-0")).hasValue(0);
    assertThat(OrdinalNames.ordinalOf("web", "web-1-0")).isEmpty();
  }
}
