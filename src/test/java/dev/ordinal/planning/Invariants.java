package dev.ordinal.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The StatefulSet guarantees, checked after every simulated step (upstream
 * assertMonotonicInvariants, extended to storage and retention). Every method throws an
 * AssertionError that names the broken rule.
 */
final class Invariants {
  private Invariants() {}

  /** Rules about what a plan may ask for, judged against the state it was planned from. */
  static void planIsSafe(ObservedState state, OrdinalPlan plan) {
    SetDefinition set = state.set();
    Set<Integer> createdOrdinals = new HashSet<>();
    int podWrites = 0;
    for (Action action : plan.actions()) {
      switch (action) {
        // There is no action that deletes a claim or a volume: only these eight exist.
        case Action.WriteRevision a -> assertThat(a.write().revision().getMetadata().getLabels())
            .containsEntry(dev.ordinal.naming.Labels.SET_NAME, set.name());
        case Action.CreateClaim a -> assertThat(state.claims()).as("CreateClaim of an existing claim: %s", a.describe())
            .doesNotContainKey(a.claim().getMetadata().getName());
        case Action.BindClaim a -> assertThat(a.volume().getSpec().getClaimRef().getName()).isEqualTo(a.claim().getMetadata().getName());
        case Action.CompleteBind a -> assertThat(a.claim().getSpec().getVolumeName()).isEqualTo(a.volume().getMetadata().getName());
        case Action.CreatePod a -> {
          podWrites++;
          String name = a.pod().getMetadata().getName();
          assertThat(set.inRange(a.ordinal())).as("pod %s created outside the desired ordinals", name).isTrue();
          assertThat(name).isEqualTo(OrdinalNames.podName(set.name(), a.ordinal()));
          assertThat(state.pods()).as("at most one pod per ordinal: %s exists", name).doesNotContainKey(a.ordinal());
          assertThat(createdOrdinals.add(a.ordinal())).as("two CreatePod for %s", name).isTrue();
          podMountsExactlyItsOwnClaims(set, a.ordinal(), a.pod());
          if (!set.isParallel()) {
            IntStream.range(set.start(), a.ordinal()).forEach(j -> assertThat(state.pods().get(j))
                .as("OrderedReady created %s while %s is not Running, Ready and available", name, OrdinalNames.podName(set.name(), j))
                .matches(p -> p != null && PodReadiness.isRunningAndAvailable(p, set.minReadySeconds(), state.now())));
          }
        }
        case Action.DeletePod a -> {
          podWrites++;
          Pod pod = state.pods().get(a.ordinal());
          assertThat(pod).as("delete of a pod that is not observed: %s", a.describe()).isNotNull();
          assertThat(pod.getMetadata().getUid()).isEqualTo(a.uid());
          assertThat(PodReadiness.isTerminating(pod)).as("delete of a pod already terminating: %s", a.describe()).isFalse();
          if (set.inRange(a.ordinal())) {
            assertThat(PodReadiness.isFailed(pod) || PodReadiness.isSucceeded(pod))
                .as("a desired pod deleted although it is neither Failed nor Succeeded: %s", a.describe()).isTrue();
          } else if (!set.isParallel()) {
            scaleDownOnlyWhenHealthy(state, a);
          }
        }
        case Action.SetClaimOwners a -> ownersFollowRetention(state, a);
        case Action.ResizeClaim a -> assertThat(set.inRange(a.ordinal())).as("resize of a claim outside the desired ordinals: %s", a.describe()).isTrue();
        case Action.WriteVolume a -> {
          var observed = state.volumes().get(a.volume().getMetadata().getName());
          assertThat(observed.getStatus() == null || !"Bound".equals(observed.getStatus().getPhase()))
              .as("a Bound volume's claimRef is never rewritten: %s", a.describe()).isTrue();
        }
      }
    }
    if (!set.isParallel()) {
      assertThat(podWrites).as("OrderedReady plans at most one pod create or delete: %s", plan.actions()).isLessThanOrEqualTo(1);
    }
    createsClaimsBeforePods(plan.actions());
  }

  private static void scaleDownOnlyWhenHealthy(ObservedState state, Action.DeletePod delete) {
    SetDefinition set = state.set();
    for (int j = set.start(); j < set.endExclusive(); j++) {
      Pod pod = state.pods().get(j);
      assertThat(pod != null && PodReadiness.isRunningAndReady(pod))
          .as("OrderedReady scale-down (%s) while desired pod %s is missing or unready", delete.name(), OrdinalNames.podName(set.name(), j))
          .isTrue();
    }
    int highest = state.pods().keySet().stream().filter(o -> !set.inRange(o)).mapToInt(Integer::intValue).max().orElseThrow();
    assertThat(delete.ordinal()).as("scale-down deletes the highest condemned ordinal first").isEqualTo(highest);
    assertThat(state.pods().values()).as("scale-down while a pod terminates").noneMatch(p -> !set.inRange(ordinal(set, p)) && PodReadiness.isTerminating(p));
  }

  private static void ownersFollowRetention(ObservedState state, Action.SetClaimOwners a) {
    SetDefinition set = state.set();
    PersistentVolumeClaim claim = state.claims().get(a.claimName());
    assertThat(claim).as("owners set on a claim that is not observed: %s", a.describe()).isNotNull();
    Set<String> before = new HashSet<>();
    if (claim.getMetadata().getOwnerReferences() != null) {
      claim.getMetadata().getOwnerReferences().forEach(r -> before.add(r.getUid()));
    }
    Set<String> after = new HashSet<>();
    a.owners().forEach(r -> after.add(r.getUid()));
    assertThat(after).as("a wasted write: %s changes no owner (was %s)", a.describe(), claim.getMetadata().getOwnerReferences())
        .isNotEqualTo(before);
    for (OwnerReference ref : a.owners()) {
      if ("Pod".equals(ref.getKind()) && !before.contains(ref.getUid())) {
        assertThat(set.whenScaled()).as("a pod made owner of %s without whenScaled Delete", a.claimName()).isEqualTo(RetentionPolicyType.Delete);
        assertThat(set.inRange(a.ordinal())).as("a pod made owner of %s although its ordinal is desired", a.claimName()).isFalse();
        assertThat(ref.getName()).isEqualTo(OrdinalNames.podName(set.name(), a.ordinal()));
        assertThat(a.owners()).as("the condemned pod must own %s alone: a live set owner beside it keeps the claim"
            + " after the pod is gone (the collector strips the dangling pod owner instead)", a.claimName())
            .noneMatch(r -> set.uid().equals(r.getUid()));
      } else if (set.uid().equals(ref.getUid())) {
        assertThat(set.whenDeleted()).as("the set made owner of %s without whenDeleted Delete", a.claimName()).isEqualTo(RetentionPolicyType.Delete);
        assertThat(ref.getController()).as("the set must own, never control, claim %s", a.claimName()).isNotEqualTo(Boolean.TRUE);
      }
    }
  }

  private static void createsClaimsBeforePods(List<Action> actions) {
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i) instanceof Action.CreateClaim c) {
        for (int j = 0; j < i; j++) {
          assertThat(actions.get(j) instanceof Action.CreatePod p && p.ordinal() == c.ordinal())
              .as("claims before pods: %s comes after the pod's creation", c.describe()).isFalse();
        }
      }
    }
  }

  /** The pod's claim volumes are exactly {@code <template>-<set>-<ordinal>}, one per template. */
  static void podMountsExactlyItsOwnClaims(SetDefinition set, int ordinal, Pod pod) {
    Map<String, String> expected = new HashMap<>();
    set.claimTemplateNames().forEach(t -> expected.put(t, OrdinalNames.claimName(t, set.name(), ordinal)));
    Map<String, String> actual = new HashMap<>();
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() != null) {
        actual.put(v.getName(), v.getPersistentVolumeClaim().getClaimName());
      }
    }
    assertThat(actual).as("claim volumes of %s", pod.getMetadata().getName()).isEqualTo(expected);
  }

  /** Every claim a pod mounts exists when the pod is created. */
  static void claimsExistFor(SetDefinition set, int ordinal, Map<String, PersistentVolumeClaim> claims) {
    for (String template : set.claimTemplateNames()) {
      assertThat(claims).as("claims before pods: pod %s created before its claim", OrdinalNames.podName(set.name(), ordinal))
          .containsKey(OrdinalNames.claimName(template, set.name(), ordinal));
    }
  }

  /** Storage and identity rules of a snapshot, whatever happened before. */
  static void stateIsConsistent(ObservedState state) {
    SetDefinition set = state.set();
    Set<String> podNames = new HashSet<>();
    state.pods().forEach((ordinal, pod) -> {
      assertThat(podNames.add(pod.getMetadata().getName())).as("one pod per ordinal").isTrue();
      assertThat(ordinal(set, pod)).isEqualTo(ordinal);
      podMountsExactlyItsOwnClaims(set, ordinal, pod);
    });
    Map<String, String> claimByVolume = new HashMap<>();
    for (PersistentVolumeClaim claim : state.claims().values()) {
      String volume = claim.getSpec().getVolumeName();
      if (volume != null) {
        String other = claimByVolume.put(volume, claim.getMetadata().getName());
        assertThat(other).as("claims %s and %s both name volume %s", other, claim.getMetadata().getName(), volume).isNull();
      }
      if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
        PersistentVolume pv = state.volumes().get(volume);
        assertThat(pv).as("Bound claim %s names a missing volume", claim.getMetadata().getName()).isNotNull();
        assertThat(pv.getSpec().getClaimRef().getUid()).as("volume %s of Bound claim %s points back", volume, claim.getMetadata().getName())
            .isEqualTo(claim.getMetadata().getUid());
      }
    }
  }

  /** Converged to the spec: exactly the desired pods, all Running and Ready, every claim Bound. */
  static void convergedToSpec(ObservedState state, OrdinalPlan plan) {
    SetDefinition set = state.set();
    assertThat(plan.isConverged()).as("converged; actions %s, waits %s", plan.actions(), plan.waits()).isTrue();
    assertThat(plan.stuck()).isEmpty();
    assertThat(state.pods().keySet()).containsExactlyElementsOf(IntStream.range(set.start(), set.endExclusive()).boxed().toList());
    assertThat(state.pods().values()).allMatch(PodReadiness::isRunningAndReady, "Running and Ready");
    for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
      for (String template : set.claimTemplateNames()) {
        String name = OrdinalNames.claimName(template, set.name(), ordinal);
        PersistentVolumeClaim claim = state.claims().get(name);
        assertThat(claim).as("claim %s", name).isNotNull();
        assertThat(claim.getStatus().getPhase()).as("phase of claim %s", name).isEqualTo("Bound");
        List<OwnerReference> owners = claim.getMetadata().getOwnerReferences() == null ? List.of() : claim.getMetadata().getOwnerReferences();
        assertThat(owners).as("a desired ordinal's claim %s must not be owned by a pod (the GC would delete it with the pod)", name)
            .noneMatch(r -> "Pod".equals(r.getKind()));
        assertThat(owners.stream().anyMatch(r -> set.uid().equals(r.getUid())))
            .as("claim %s owned by the set iff whenDeleted Delete", name)
            .isEqualTo(set.whenDeleted() == RetentionPolicyType.Delete);
      }
    }
  }

  private static int ordinal(SetDefinition set, Pod pod) {
    return OrdinalNames.ordinalOf(set.name(), pod.getMetadata().getName()).orElseThrow();
  }
}
