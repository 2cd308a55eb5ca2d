package dev.ordinal.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.Ordinals;
import dev.ordinal.api.v1alpha1.PersistentVolumeClaimRetentionPolicy;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.ObservedStates;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random walks: plan, carry out the plan against an in-memory cluster (with injected write
 * failures), let the world misbehave (pods fail, users delete pods, replicas change), and check
 * the {@link Invariants} after every step; then stop the chaos and require convergence.
 * {@code -Dordinal.seeds=N} runs more seeds per combination (default 4).
 */
class OrdinalPlannerSimulationTest {
  private static final int CHAOS_STEPS = 300;
  private static final int SETTLE_STEPS = 200;
  private static final OrdinalPlanner PLANNER = new OrdinalPlanner();

  static Stream<Arguments> walks() {
    int seeds = Integer.getInteger("ordinal.seeds", 4);
    List<Arguments> walks = new ArrayList<>();
    for (PodManagementPolicy policy : PodManagementPolicy.values()) {
      for (RetentionPolicyType whenDeleted : RetentionPolicyType.values()) {
        for (RetentionPolicyType whenScaled : RetentionPolicyType.values()) {
          for (long seed = 1; seed <= seeds; seed++) {
            walks.add(arguments(policy, whenDeleted, whenScaled, seed));
          }
        }
      }
    }
    return walks.stream();
  }

  @ParameterizedTest(name = "{0}, whenDeleted {1}, whenScaled {2}, seed {3}")
  @MethodSource("walks")
  void invariantsHoldUnderChaosAndTheSetConvergesAfterIt(
      PodManagementPolicy policy, RetentionPolicyType whenDeleted, RetentionPolicyType whenScaled, long seed) {
    Random random = new Random(seed * 7919 + policy.ordinal() * 31 + whenDeleted.ordinal() * 3 + whenScaled.ordinal());
    OrdinalSet set = Fixtures.web(ObservedStates.NS, 3);
    set.getMetadata().setUid(ObservedStates.SET_UID);
    set.getSpec().setPodManagementPolicy(policy);
    set.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(whenDeleted, whenScaled));
    set.getSpec().setOrdinals(new Ordinals((int) (seed % 3)));
    if (seed % 2 == 0) {
      set.getSpec().getVolumeClaimTemplates().add(Fixtures.claimTemplate("data", "manual", "1Gi", "ReadWriteOnce"));
    }
    ClusterModel cluster = new ClusterModel(set);
    List<String> history = new ArrayList<>();
    try {
      for (int step = 0; step < CHAOS_STEPS; step++) {
        step(cluster, random, true, history);
      }
      for (int step = 0; step < SETTLE_STEPS; step++) {
        OrdinalPlan plan = step(cluster, random, false, history);
        if (plan.isConverged()) {
          break;
        }
      }
      ObservedState last = cluster.observe();
      Invariants.convergedToSpec(last, PLANNER.plan(last));
      if (whenScaled == RetentionPolicyType.Retain) {
        assertThat(cluster.collected).as("whenScaled Retain: no claim is ever garbage-collected").isEmpty();
      }
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nlast steps:\n  " + String.join("\n  ", history.subList(Math.max(0, history.size() - 25), history.size())), e);
    }
  }

  /** One reconcile and one round of the world's events; returns the plan. */
  private static OrdinalPlan step(ClusterModel cluster, Random random, boolean chaos, List<String> history) {
    cluster.topUpVolumes(3);
    ObservedState state = cluster.observe();
    Invariants.stateIsConsistent(state);
    OrdinalPlan plan = PLANNER.plan(state);
    Invariants.planIsSafe(state, plan);
    history.add("replicas " + state.set().replicas() + " pods " + describePods(state) + " -> " + plan.actions().stream().map(Action::describe).toList());
    execute(cluster, state.set(), plan, random, chaos, history);
    world(cluster, random, chaos, history);
    cluster.now = cluster.now.plusSeconds(1);
    return plan;
  }

  /** As the executor: in order; a failed write skips the later writes of its ordinal. */
  private static void execute(ClusterModel cluster, SetDefinition def, OrdinalPlan plan, Random random, boolean chaos, List<String> history) {
    Set<Integer> failed = new HashSet<>();
    for (Action action : plan.actions()) {
      if (failed.contains(action.ordinal())) {
        continue;
      }
      try {
        if (chaos && random.nextInt(100) < 5) {
          throw new ClusterModel.Refused("injected failure");
        }
        cluster.apply(def, action);
      } catch (ClusterModel.Refused e) {
        failed.add(action.ordinal());
        history.add("  failed: " + action.describe() + ": " + e.getMessage());
      }
    }
  }

  private static void world(ClusterModel cluster, Random random, boolean chaos, List<String> history) {
    SetDefinition def = cluster.definition();
    for (String name : cluster.podNames()) {
      Pod pod = cluster.pods.get(name);
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (!chaos || random.nextInt(100) < 50) {
          cluster.finishTermination(name, def);
        }
      } else if (PodReadiness.isPending(pod)) {
        if (!chaos || random.nextInt(100) < 60) {
          cluster.startPod(name);
        }
      } else if (chaos && PodReadiness.isRunning(pod)) {
        int roll = random.nextInt(100);
        if (roll < 3) {
          cluster.setStatus(name, "Failed", false);
          history.add("  world: " + name + " failed");
        } else if (roll < 5) {
          cluster.userDeletes(name);
          history.add("  world: user deleted " + name);
        } else if (roll < 7) {
          cluster.setStatus(name, "Running", !PodReadiness.isReady(pod));
          history.add("  world: " + name + " readiness flipped");
        }
      }
    }
    if (!chaos || random.nextInt(100) < 40) {
      // The collector lags: an ordinal may be wanted again while its claim still names the deleted pod.
      cluster.collectGarbage(def);
    }
    cluster.finishClaimDeletions();
    if (chaos && random.nextInt(100) < 6) {
      int replicas = random.nextInt(6);
      cluster.replicas(replicas);
      history.add("  world: replicas -> " + replicas);
    }
    if (!chaos) {
      // Settling: every unready running pod recovers.
      cluster.pods.values().stream().filter(p -> PodReadiness.isRunning(p) && !PodReadiness.isReady(p)).map(p -> p.getMetadata().getName())
          .toList().forEach(n -> cluster.setStatus(n, "Running", true));
    }
  }

  private static String describePods(ObservedState state) {
    List<String> parts = new ArrayList<>();
    state.pods().forEach((o, p) -> parts.add(o + ":" + PodReadiness.phase(p).charAt(0) + (PodReadiness.isReady(p) ? "R" : "")
        + (PodReadiness.isTerminating(p) ? "T" : "")));
    return parts.toString();
  }
}
