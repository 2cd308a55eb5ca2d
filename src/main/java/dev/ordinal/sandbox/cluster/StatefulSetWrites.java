package dev.ordinal.sandbox.cluster;

import dev.ordinal.api.v1alpha1.OrdinalSetStatus;
import dev.ordinal.binding.SelectorMatcher;
import dev.ordinal.binding.StorageClasses;
import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.planning.Action;
import dev.ordinal.planning.ClaimFactory;
import dev.ordinal.planning.OrdinalPlan;
import dev.ordinal.planning.PodReadiness;
import dev.ordinal.revision.RevisionWrite;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.status.StatusCalculator;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What kube-controller-manager's StatefulSet controller (v1.32, pkg/controller/statefulset)
 * writes, derived from our planner's actions for the same set. Pure.
 *
 * <p>Our planner already decides what that controller decides; only the shapes differ, and the
 * planner also binds and grows claims, which that controller never does. So:
 * <ul>
 *   <li>kept, in upstream's shapes: pod creation ({@code newVersionedStatefulSetPod}), pod
 *       deletion, claim creation ({@code getPersistentVolumeClaims}: no volume, no owner), claim
 *       owner references per the retention policy ({@code updateClaimOwnerRefForSetAndPod}:
 *       controller references to the set or the condemned pod) and ControllerRevisions;
 *   <li>dropped: every binding step (a new claim's reservation and volumeName, BindClaim,
 *       CompleteBind, WriteVolume) and ResizeClaim. Claims are left unbound for the PV binder (our
 *       operator, for a set in storage mode) and grown by nobody here.
 * </ul>
 */
final class StatefulSetWrites {
  /** Upstream apps.StatefulSetPodNameLabel. */
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  /** Upstream apps.PodIndexLabel (feature PodIndexLabel, on by default since 1.28). */
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  private static final List<String> OUR_POD_LABELS = List.of(Labels.SET_NAME, Labels.POD_INDEX, Labels.POD_NAME);

  private final StatusCalculator statuses = new StatusCalculator();

  /** The planned actions as the upstream controller's writes, in the plan's order. */
  List<Action> translate(ObservedState state, List<Action> planned) {
    SetDefinition set = state.set();
    List<Action> writes = new ArrayList<>();
    for (Action action : planned) {
      switch (action) {
        case Action.CreateClaim c -> writes.add(new Action.CreateClaim(c.ordinal(), claim(state, c), Optional.empty()));
        case Action.CreatePod p -> writes.add(new Action.CreatePod(p.ordinal(), pod(set, p.pod(), p.ordinal())));
        case Action.DeletePod d -> writes.add(d);
        case Action.SetClaimOwners o -> writes.add(new Action.SetClaimOwners(o.ordinal(), o.claimName(), o.resourceVersion(),
            o.owners().stream().map(r -> asController(set, r)).toList()));
        case Action.WriteRevision r -> writes.add(new Action.WriteRevision(revisionWrite(set, r.write())));
        // The upstream controller never binds or resizes a claim, nor writes a volume.
        case Action.BindClaim b -> { }
        case Action.CompleteBind b -> { }
        case Action.WriteVolume v -> { }
        case Action.ResizeClaim r -> { }
      }
    }
    return writes;
  }

  /**
   * The claim upstream creates: the template's, named for the ordinal, its labels with the
   * selector's matchLabels over them, and no owner yet: 1.32 creates claims bare and sets the
   * retention policy's owners on a later sync (our {@link Action.SetClaimOwners}).
   */
  private static PersistentVolumeClaim claim(ObservedState state, Action.CreateClaim planned) {
    SetDefinition set = state.set();
    String name = planned.claim().getMetadata().getName();
    PersistentVolumeClaim template = set.claimTemplates().stream()
        .filter(t -> OrdinalNames.claimName(t.getMetadata().getName(), set.name(), planned.ordinal()).equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("claim " + name + " matches no volumeClaimTemplate of " + set.name()));
    // The default class is resolved as the API server's DefaultStorageClass admission plugin
    // would on create: the mock has no admission plugins.
    PersistentVolumeClaim claim = ClaimFactory.newStatefulSetClaim(set, template, planned.ordinal(),
        StorageClasses.defaultClassName(state.storageClasses().values()));
    return new PersistentVolumeClaimBuilder(claim).editMetadata().withOwnerReferences(List.of()).endMetadata().build();
  }

  /**
   * Upstream newStatefulSetPod: the template's labels with {@code statefulset.kubernetes.io/pod-name}
   * and {@code apps.kubernetes.io/pod-index} instead of ours, the revision label as planned, the set
   * as controller. Spec, hostname, subdomain and claim volumes are the planner's, built the same way.
   */
  static Pod pod(SetDefinition set, Pod planned, int ordinal) {
    Map<String, String> templateLabels = set.template().getMetadata() == null || set.template().getMetadata().getLabels() == null
        ? Map.of() : set.template().getMetadata().getLabels();
    Map<String, String> labels = new LinkedHashMap<>(planned.getMetadata().getLabels());
    OUR_POD_LABELS.stream().filter(k -> !templateLabels.containsKey(k)).forEach(labels::remove);
    labels.put(POD_NAME_LABEL, planned.getMetadata().getName());
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    return new PodBuilder(planned).editMetadata()
        .withGenerateName(set.name() + "-")
        .withLabels(labels)
        .withOwnerReferences(controllerRef(set))
        .endMetadata()
        .build();
  }

  /**
   * Upstream ClaimPods: a pod of the set's name and ordinal form, matching its selector and
   * controlled by nobody (its set was deleted with {@code --cascade=orphan}) is adopted, as the
   * re-created set's controller does before anything else.
   */
  static Optional<Pod> adopted(SetDefinition set, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (OwnerRefs.controller(pod.getMetadata().getOwnerReferences()).isPresent() || PodReadiness.isTerminating(pod)
        || OrdinalNames.ordinalOf(set.name(), pod.getMetadata().getName()).isEmpty()
        || labels == null || !SelectorMatcher.matches(set.selector(), labels)) {
      return Optional.empty();
    }
    List<OwnerReference> owners = new ArrayList<>(pod.getMetadata().getOwnerReferences() == null ? List.of() : pod.getMetadata().getOwnerReferences());
    owners.add(controllerRef(set));
    return Optional.of(new PodBuilder(pod).editMetadata().withOwnerReferences(owners).endMetadata().build());
  }

  /**
   * The StatefulSet's status as upstream computes it (computeReplicaStatus, completeRollingUpdate),
   * counted by our {@link StatusCalculator}, which counts the same things for OrdinalSets.
   */
  StatefulSetStatus status(ObservedState state, OrdinalPlan plan) {
    OrdinalSetStatus s = statuses.compute(state, plan, null);
    return new StatefulSetStatusBuilder()
        .withObservedGeneration(s.getObservedGeneration())
        .withReplicas(s.getReplicas())
        .withReadyReplicas(s.getReadyReplicas())
        .withCurrentReplicas(s.getCurrentReplicas())
        .withUpdatedReplicas(s.getUpdatedReplicas())
        .withAvailableReplicas(s.getAvailableReplicas())
        .withCurrentRevision(s.getCurrentRevision())
        .withUpdateRevision(s.getUpdateRevision())
        .withCollisionCount(s.getCollisionCount())
        .build();
  }

  /** Upstream metav1.NewControllerRef(set, controllerKind). */
  static OwnerReference controllerRef(SetDefinition set) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1").withKind("StatefulSet")
        .withName(set.name()).withUid(set.uid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * Our retention owners are plain owner references to the set (as an OrdinalSet) or to the
   * condemned pod; upstream 1.32 writes controller references (addControllerRef, since
   * kubernetes#122499). Other owners stay as they are.
   */
  private static OwnerReference asController(SetDefinition set, OwnerReference ref) {
    if (Objects.equals(ref.getUid(), set.uid())) {
      return controllerRef(set);
    }
    if ("v1".equals(ref.getApiVersion()) && "Pod".equals(ref.getKind())
        && OrdinalNames.ordinalOf(set.name(), ref.getName()).isPresent()) {
      return new OwnerReferenceBuilder(ref).withController(true).withBlockOwnerDeletion(true).build();
    }
    return ref;
  }

  /** ControllerRevisions controlled by the StatefulSet (history.NewControllerRevision), not by an OrdinalSet. */
  private static RevisionWrite revisionWrite(SetDefinition set, RevisionWrite write) {
    return switch (write) {
      case RevisionWrite.Create c -> new RevisionWrite.Create(ownedBySet(set, c.revision()));
      case RevisionWrite.Update u -> new RevisionWrite.Update(ownedBySet(set, u.revision()), u.previousNumber(), u.adopted());
      case RevisionWrite.Delete d -> d;
    };
  }

  private static ControllerRevision ownedBySet(SetDefinition set, ControllerRevision revision) {
    List<OwnerReference> owners = revision.getMetadata().getOwnerReferences() == null ? List.of()
        : revision.getMetadata().getOwnerReferences().stream().map(r -> Objects.equals(r.getUid(), set.uid()) ? controllerRef(set) : r).toList();
    return new ControllerRevisionBuilder(revision).editMetadata().withOwnerReferences(owners).endMetadata().build();
  }
}
