package dev.ordinal.revision;

import static dev.ordinal.revision.RevisionFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RevisionHistoryTest {

  /** Revisions r1..rN with revision numbers 1..N, given in reverse so order must come from the numbers. */
  static List<ControllerRevision> revisions(int count) {
    List<ControllerRevision> all = new ArrayList<>(IntStream.rangeClosed(1, count)
        .mapToObj(i -> new ControllerRevisionBuilder().withNewMetadata().withName("r" + i).endMetadata()
            .withRevision((long) i).build())
        .toList());
    return all.reversed();
  }

  record Case(String behaviour, int count, int limit, String current, String update, List<String> podRevisions,
      List<String> trimmed) {
    @Override
    public String toString() {
      return behaviour;
    }

    List<Pod> pods() {
      return IntStream.range(0, podRevisions.size()).mapToObj(i -> pod(i, podRevisions.get(i))).toList();
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("within the limit nothing is trimmed", 5, 10, "r5", "r5", List.of(), List.of()),
        new Case("exactly at the limit nothing is trimmed", 4, 3, "r4", "r4", List.of(), List.of()),
        new Case("the oldest are trimmed first", 6, 2, "r6", "r6", List.of(), List.of("r1", "r2", "r3")),
        new Case("current and update are kept beside the limit", 6, 1, "r2", "r6", List.of(),
            List.of("r1", "r3", "r4")),
        new Case("an old current revision is never trimmed", 4, 0, "r1", "r4", List.of(), List.of("r2", "r3")),
        new Case("a revision a live pod uses is never trimmed, even with limit 0", 5, 0, "r5", "r5",
            List.of("r1", "r3", "r3"), List.of("r2", "r4")),
        new Case("live pods do not use up the limit", 6, 1, "r6", "r6", List.of("r1", "r2"),
            List.of("r3", "r4")),
        new Case("a negative limit keeps only live revisions", 3, -1, "r3", "r3", List.of(), List.of("r1", "r2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void trimsHistory(Case c) {
    List<ControllerRevision> trimmed =
        RevisionHistory.toTrim(revisions(c.count()), c.pods(), c.current(), c.update(), c.limit());

    assertThat(trimmed).extracting(RevisionFixtures::name).containsExactlyElementsOf(c.trimmed());
  }
}
