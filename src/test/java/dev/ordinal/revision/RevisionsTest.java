package dev.ordinal.revision;

import static dev.ordinal.revision.RevisionFixtures.HASH;
import static dev.ordinal.revision.RevisionFixtures.REVISIONS;
import static dev.ordinal.revision.RevisionFixtures.SERIALIZATION;
import static dev.ordinal.revision.RevisionFixtures.SET;
import static dev.ordinal.revision.RevisionFixtures.UID;
import static dev.ordinal.revision.RevisionFixtures.name;
import static dev.ordinal.revision.RevisionFixtures.pod;
import static dev.ordinal.revision.RevisionFixtures.readBack;
import static dev.ordinal.revision.RevisionFixtures.set;
import static dev.ordinal.revision.RevisionFixtures.stored;
import static dev.ordinal.revision.RevisionFixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RevisionsTest {

  /** The name a revision of the set gets for {@code image} at collision count {@code count}. */
  static String n(String image, int count) {
    return HASH.revisionName(SET, template(image), count);
  }

  static String n(String image) {
    return n(image, 0);
  }

  static ControllerRevision foreign(ControllerRevision revision) {
    return readBack(new ControllerRevisionBuilder(revision).editMetadata()
        .withOwnerReferences(OwnerRefs.controllerOf("other", "uid-other")).endMetadata().build());
  }

  static ControllerRevision orphan(ControllerRevision revision) {
    return readBack(new ControllerRevisionBuilder(revision).editMetadata()
        .withOwnerReferences(List.of()).endMetadata().build());
  }

  /** One row: the set's image, what is observed, and what resolve must answer. */
  record Case(
      String behaviour,
      SetDefinition set,
      List<ControllerRevision> observed,
      List<Pod> pods,
      int collisionCount,
      String statusCurrent,
      String update,
      long updateNumber,
      String current,
      int expectedCollisionCount,
      List<String> writes) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("a new set creates revision 1, and current is update",
            set("v1"), List.of(), List.of(), 0, null,
            n("v1"), 1, n("v1"), 0, List.of("create " + n("v1") + " #1")),
        new Case("an unchanged template writes nothing",
            set("v1"), List.of(stored("v1", 1)), List.of(pod(0, n("v1"))), 0, n("v1"),
            n("v1"), 1, n("v1"), 0, List.of()),
        new Case("an image change creates a revision numbered max + 1, current stays",
            set("v3"), List.of(stored("v1", 1), stored("v2", 2)), List.of(pod(0, n("v2"))), 0, n("v2"),
            n("v3"), 3, n("v2"), 0, List.of("create " + n("v3") + " #3")),
        new Case("reverting to the earlier template reuses its revision and bumps its number",
            set("v1"), List.of(stored("v1", 1), stored("v2", 2)), List.of(pod(0, n("v2"))), 0, n("v2"),
            n("v1"), 3, n("v2"), 0, List.of("update " + n("v1") + " #1->#3")),
        new Case("reverting two steps back bumps that revision above all others",
            set("v2"), List.of(stored("v1", 1), stored("v2", 2), stored("v3", 3)), List.of(), 0, n("v3"),
            n("v2"), 4, n("v3"), 0, List.of("update " + n("v2") + " #2->#4")),
        new Case("the current revision stays the status one while a rollout is partial",
            set("v2"), List.of(stored("v1", 1), stored("v2", 2)),
            List.of(pod(0, n("v1")), pod(1, n("v2")), pod(2, n("v2"))), 0, n("v1"),
            n("v2"), 2, n("v1"), 0, List.of()),
        new Case("a status current revision that no longer exists falls back to update",
            set("v2"), List.of(stored("v2", 1)), List.of(), 0, "web-gone",
            n("v2"), 1, n("v2"), 0, List.of()),
        new Case("a hash name held by a different payload increments collisionCount and re-hashes",
            set("v2"), List.of(stored(n("v2"), template("v1"), 1)), List.of(), 0, n("v2"),
            n("v2", 1), 2, n("v2"), 1, List.of("create " + n("v2", 1) + " #2")),
        new Case("the collision count from status names the new revision",
            set("v2"), List.of(stored("v1", 1)), List.of(), 1, n("v1"),
            n("v2", 1), 2, n("v1"), 1, List.of("create " + n("v2", 1) + " #2")),
        new Case("an equal revision is found by payload whatever collision count named it",
            set("v2"), List.of(stored("v1", 1), stored(n("v2", 3), template("v2"), 2)), List.of(), 0, n("v1"),
            n("v2", 3), 2, n("v1"), 0, List.of()),
        new Case("a name held by another owner's revision counts as a collision even with equal payload",
            set("v2"), List.of(stored("v1", 1), foreign(stored("v2", 7))), List.of(), 0, n("v1"),
            n("v2", 1), 2, n("v1"), 1, List.of("create " + n("v2", 1) + " #2")),
        new Case("an orphan carrying the set's labels is adopted, not recreated",
            set("v1"), List.of(orphan(stored("v1", 1))), List.of(pod(0, n("v1"))), 0, n("v1"),
            n("v1"), 1, n("v1"), 0, List.of("update " + n("v1") + " #1->#1 adopt")),
        new Case("an adopted orphan that is reverted to is adopted and renumbered in one write",
            set("v1"), List.of(orphan(stored("v1", 1)), stored("v2", 2)), List.of(), 0, n("v2"),
            n("v1"), 3, n("v2"), 0, List.of("update " + n("v1") + " #1->#3 adopt")),
        new Case("an orphan beyond the history limit is deleted as observed, not adopted first",
            set(template("v3"), 0), List.of(orphan(stored("v1", 1)), stored("v2", 2), stored("v3", 3)),
            List.of(), 0, n("v3"),
            n("v3"), 3, n("v3"), 0, List.of("delete " + n("v1"), "delete " + n("v2"))),
        new Case("history beyond the limit is trimmed after the create, oldest first, sparing live ones",
            set(template("v5"), 1),
            List.of(stored("v1", 1), stored("v2", 2), stored("v3", 3), stored("v4", 4)),
            List.of(pod(0, n("v4")), pod(1, n("v1"))), 0, n("v4"),
            n("v5"), 5, n("v4"), 0, List.of("create " + n("v5") + " #5", "delete " + n("v2"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolvesRevisions(Case c) {
    RevisionState state = REVISIONS.resolve(c.set(), c.observed(), c.pods(), c.collisionCount(), c.statusCurrent());

    assertThat(state.updateRevisionName()).as("update revision").isEqualTo(c.update());
    assertThat(state.updateRevision().getRevision()).as("update revision number").isEqualTo(c.updateNumber());
    assertThat(state.currentRevisionName()).as("current revision").isEqualTo(c.current());
    assertThat(state.collisionCount()).as("collision count").isEqualTo(c.expectedCollisionCount());
    assertThat(state.writes()).extracting(RevisionsTest::describe).as("writes").isEqualTo(c.writes());
    assertThat(state.rollingOut()).isEqualTo(!c.update().equals(c.current()));
    assertThat(TemplateOfRevision.of(state.updateRevision())).contains(c.set().template());
    assertThat(OwnerRefs.isControlledBy(state.updateRevision().getMetadata().getOwnerReferences(), UID)).isTrue();
  }

  @Test
  void aTrimmedRevisionIsDeletedWithItsObservedResourceVersion() {
    ControllerRevision old = new ControllerRevisionBuilder(orphan(stored("v1", 1)))
        .editMetadata().withResourceVersion("41").endMetadata().build();

    RevisionState state = REVISIONS.resolve(set(template("v2"), 0), List.of(old), List.of(), 0, null);

    assertThat(state.writes()).filteredOn(RevisionWrite.Delete.class::isInstance)
        .singleElement().extracting(RevisionWrite::revision).isSameAs(old);
  }

  static String describe(RevisionWrite write) {
    return switch (write) {
      case RevisionWrite.Create c -> "create " + c.name() + " #" + c.revision().getRevision();
      case RevisionWrite.Update u ->
          "update " + u.name() + " #" + u.previousNumber() + "->#" + u.revision().getRevision() + (u.adopted() ? " adopt" : "");
      case RevisionWrite.Delete d -> "delete " + d.name();
    };
  }

  @Test
  void podsBelowThePartitionAreRecreatedFromTheCurrentRevisionsTemplate() {
    RevisionState state = REVISIONS.resolve(
        set("v2"), List.of(stored("v1", 1), stored("v2", 2)), List.of(pod(0, n("v1"))), 0, n("v1"));

    assertThat(state.currentTemplate()).isEqualTo(template("v1"));
  }

  @Test
  void withoutARolloutTheCurrentTemplateIsTheSetsTemplate() {
    RevisionState state = REVISIONS.resolve(set("v2"), List.of(stored("v2", 1)), List.of(), 0, n("v2"));

    assertThat(state.currentRevision()).isSameAs(state.updateRevision());
    assertThat(state.currentTemplate()).isEqualTo(template("v2"));
  }

  @Test
  void aNewRevisionCarriesTheSelectorLabelsTheSetNameAndAControllerReference() {
    RevisionState state = REVISIONS.resolve(set("v1"), List.of(), List.of(), 0, null);
    ControllerRevision created = ((RevisionWrite.Create) state.writes().getFirst()).revision();

    assertThat(created.getMetadata().getNamespace()).isEqualTo(RevisionFixtures.NAMESPACE);
    assertThat(created.getMetadata().getLabels()).isEqualTo(Map.of("app", "nginx", Labels.SET_NAME, SET));
    OwnerReference owner = created.getMetadata().getOwnerReferences().getFirst();
    assertThat(owner.getApiVersion()).isEqualTo("ordinal.dev/v1alpha1");
    assertThat(owner.getKind()).isEqualTo("OrdinalSet");
    assertThat(owner.getName()).isEqualTo(SET);
    assertThat(owner.getUid()).isEqualTo(UID);
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(created).isEqualTo(readBack(created));
  }

  @Test
  void resolveDoesNotMutateTheObservedRevisions() {
    List<ControllerRevision> observed = List.of(orphan(stored("v1", 1)), stored("v2", 2), stored("v3", 3));
    String before = SERIALIZATION.asJson(observed);

    REVISIONS.resolve(set(template("v1"), 0), observed, List.of(), 0, n("v3"));

    assertThat(SERIALIZATION.asJson(observed)).isEqualTo(before);
  }

  @Test
  void resolvingAgainAfterTheWritesAreAppliedWritesNothing() {
    List<ControllerRevision> observed = List.of(stored("v1", 1), stored("v2", 2));
    RevisionState first = REVISIONS.resolve(set("v1"), observed, List.of(), 0, n("v2"));
    ControllerRevision bumped = readBack(first.updateRevision());

    RevisionState second = REVISIONS.resolve(set("v1"), List.of(bumped, observed.get(1)), List.of(), 0, n("v2"));

    assertThat(second.writes()).isEmpty();
    assertThat(second.updateRevisionName()).isEqualTo(n("v1"));
    assertThat(second.updateRevision().getRevision()).isEqualTo(3L);
  }
}
