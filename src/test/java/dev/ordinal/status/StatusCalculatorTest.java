package dev.ordinal.status;

import static dev.ordinal.testing.ObservedStates.NOW;
import static dev.ordinal.testing.ObservedStates.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ordinal.api.v1alpha1.OrdinalSetStatus;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.planning.OrdinalPlan;
import dev.ordinal.planning.OrdinalPlanner;
import dev.ordinal.testing.ObservedStates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The status a set reports: counters from observed objects, conditions from the plan. */
class StatusCalculatorTest {
  private static final StatusCalculator CALCULATOR = new StatusCalculator();
  private static final OrdinalPlanner PLANNER = new OrdinalPlanner();
  private static final io.fabric8.kubernetes.api.model.PersistentVolume FREE_PV = dev.ordinal.testing.Fixtures.pv("pv-free", "1Gi", "manual");

  private static OrdinalSetStatus compute(ObservedStates given) {
    ObservedState state = given.build();
    return CALCULATOR.compute(state, PLANNER.plan(state), null);
  }

  private static Condition condition(OrdinalSetStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static OrdinalPlan plan(List<String> waits, Optional<String> stuck, List<String> storageProblems) {
    return new OrdinalPlan(List.of(), List.of(), waits, stuck, storageProblems, Optional.empty());
  }

  @Test
  void countersComeFromObservedPodsAndTheDesiredOrdinalsClaims() {
    OrdinalSetStatus status = compute(web(3).minReadySeconds(5)
        .healthy(0)
        .withPod(1, "Running", false).withBoundClaim(1)
        .withPod(2, "Running", true, NOW.minusSeconds(2)).withPendingClaim(2)
        .healthy(3)); // condemned: counted as a pod, its claim is not counted

    assertThat(status.getReplicas()).isEqualTo(4);
    assertThat(status.getReadyReplicas()).isEqualTo(3);
    assertThat(status.getAvailableReplicas()).as("web-2 is Ready for 2s of minReadySeconds 5").isEqualTo(2);
    assertThat(status.getUpdatedReplicas()).isEqualTo(4);
    assertThat(status.getUpdateRevision()).isEqualTo(ObservedStates.REVISION);
    assertThat(status.getBoundClaims()).isEqualTo(2);
    assertThat(status.getPendingClaims()).isEqualTo(1);
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
  }

  static Stream<Arguments> selectors() {
    return Stream.of(
        arguments(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "nginx")).build(), "app=nginx"),
        arguments(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "web", "app", "nginx")).build(), "app=nginx,tier=web"),
        arguments(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "nginx"))
            .addNewMatchExpression().withKey("env").withOperator("In").withValues("prod", "canary").endMatchExpression()
            .addNewMatchExpression().withKey("debug").withOperator("DoesNotExist").endMatchExpression()
            .build(), "app=nginx,env in (canary,prod),!debug"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("selectors")
  void selectorIsReportedInStringFormForTheScaleSubresource(io.fabric8.kubernetes.api.model.LabelSelector selector, String expected) {
    assertThat(compute(web(1).editSet(s -> {
      s.getSpec().setSelector(selector);
      s.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "nginx", "tier", "web", "env", "prod"));
    })).getSelector()).isEqualTo(expected);
  }

  @Test
  void convergedSetIsAvailableCompleteAndBound() {
    OrdinalSetStatus status = compute(web(2).healthy(0, 1));

    assertThat(condition(status, Conditions.SPEC_VALID).getStatus()).isEqualTo("True");
    assertThat(condition(status, Conditions.AVAILABLE)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("AllReplicasAvailable");
    });
    assertThat(condition(status, Conditions.PROGRESSING)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("Complete");
    });
    assertThat(condition(status, Conditions.STORAGE_BOUND)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("AllClaimsBound");
    });
  }

  static Stream<Arguments> conditions() {
    return Stream.of(
        arguments("a missing replica makes the set unavailable", web(2).healthy(0), Conditions.AVAILABLE, "False", "ReplicasUnavailable", "1 of 2"),
        arguments("a replica Ready for less than minReadySeconds is not available",
            web(1).minReadySeconds(30).withPod(0, "Running", true, NOW.minusSeconds(3)).withBoundClaim(0),
            Conditions.AVAILABLE, "False", "ReplicasUnavailable", "0 of 1"),
        arguments("creating pods is Progressing with the plan's waits", web(2).healthy(0).withVolume(FREE_PV),
            Conditions.PROGRESSING, "True", "Progressing", "creating web-1"),
        arguments("an unready pod is Progressing and says which",
            web(2).withPod(0, "Running", false).withBoundClaim(0),
            Conditions.PROGRESSING, "True", "Progressing", "web-0 is not Ready"),
        arguments("an unbindable claim blocks progress",
            web(1).withPod(0, "Pending", false).withPendingClaim(0),
            Conditions.PROGRESSING, "False", "Blocked", "web-0 cannot start: claim www-web-0 cannot bind"),
        arguments("an unbindable claim makes StorageBound False with the binder's message",
            web(1).withPod(0, "Pending", false).withPendingClaim(0),
            Conditions.STORAGE_BOUND, "False", "ClaimsUnbindable", "www-web-0"),
        arguments("a claim waiting for its bind is StorageBound False, pending",
            web(1).withPod(0, "Pending", false).withPendingClaim(0)
                .withStorageClass(dev.ordinal.testing.Fixtures.storageClass("manual", "ebs.csi.aws.com", "Immediate", false)),
            Conditions.STORAGE_BOUND, "False", "ClaimsPending", "1 claims are not Bound yet"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conditions")
  void conditionsSayWhatIsWrong(String behaviour, ObservedStates given, String type, String status, String reason, String message) {
    Condition c = condition(compute(given), type);

    assertThat(c.getStatus()).isEqualTo(status);
    assertThat(c.getReason()).isEqualTo(reason);
    assertThat(c.getMessage()).contains(message);
  }

  @Test
  void stuckPlanIsProgressingFalseBlockedWithItsReason() {
    OrdinalSetStatus status = CALCULATOR.compute(web(1).healthy(0).build(),
        plan(List.of("web-0 is not Ready yet"), Optional.of("web-0 does not become Ready: container nginx CrashLoopBackOff"), List.of()), null);

    assertThat(condition(status, Conditions.PROGRESSING)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("Blocked");
      assertThat(c.getMessage()).isEqualTo("web-0 does not become Ready: container nginx CrashLoopBackOff");
    });
  }

  @Test
  void longListsOfProblemsAreSummarised() {
    OrdinalSetStatus status = CALCULATOR.compute(web(1).healthy(0).build(),
        plan(List.of("a", "b", "c", "d", "e"), Optional.empty(), List.of("p1", "p2", "p3", "p4")), null);

    assertThat(condition(status, Conditions.PROGRESSING).getMessage()).isEqualTo("a; b; c; and 2 more");
    assertThat(condition(status, Conditions.STORAGE_BOUND).getMessage()).isEqualTo("p1; p2; p3; and 1 more");
  }

  @Test
  void lastTransitionTimeIsCarriedWhileStatusIsUnchangedAndMovesWhenItChanges() {
    OrdinalSetStatus first = compute(web(2).healthy(0).withVolume(FREE_PV));
    ObservedState later = web(2).healthy(0, 1).now(NOW.plus(Duration.ofMinutes(5))).build();
    OrdinalSetStatus second = CALCULATOR.compute(later, PLANNER.plan(later), first);

    assertThat(condition(second, Conditions.SPEC_VALID).getLastTransitionTime())
        .isEqualTo(condition(first, Conditions.SPEC_VALID).getLastTransitionTime()).isEqualTo(NOW.toString());
    assertThat(condition(second, Conditions.AVAILABLE).getStatus()).isEqualTo("True");
    assertThat(condition(second, Conditions.AVAILABLE).getLastTransitionTime()).isEqualTo(later.now().toString());
    assertThat(condition(second, Conditions.PROGRESSING).getReason()).isEqualTo("Complete");
    assertThat(condition(second, Conditions.PROGRESSING).getLastTransitionTime())
        .as("Progressing stayed True (Progressing -> Complete), so its time is carried")
        .isEqualTo(NOW.toString());
  }

  @Test
  void sameObservationGivesAnEqualStatusSoNothingIsWritten() {
    OrdinalSetStatus first = compute(web(2).healthy(0, 1));
    ObservedState again = web(2).healthy(0, 1).now(NOW.plusSeconds(30)).build();

    assertThat(CALCULATOR.compute(again, PLANNER.plan(again), first)).isEqualTo(first);
  }

  @Test
  void invalidSpecKeepsCountersAndSaysWhyNothingChanges() {
    OrdinalSetStatus previous = compute(web(2).healthy(0, 1));
    OrdinalSetStatus status = CALCULATOR.invalid(previous, 2, "replicas must be >= 0, not -1", NOW.plusSeconds(60));

    assertThat(status.getReplicas()).isEqualTo(2);
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(condition(status, Conditions.SPEC_VALID)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getMessage()).contains("replicas must be >= 0, not -1").contains("nothing is changed");
    });
    assertThat(condition(status, Conditions.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(condition(status, Conditions.AVAILABLE).getStatus()).isEqualTo("True");
  }
}
