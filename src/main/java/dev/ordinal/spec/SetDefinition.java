package dev.ordinal.spec;

import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.api.v1alpha1.UpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeClaimUpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeReuseType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;

/**
 * A validated set with every default applied in memory: what the planner works from. Built only
 * by {@link SpecValidator}, so holding one means the spec can be acted on.
 */
public record SetDefinition(
    String namespace,
    String name,
    String uid,
    long generation,
    int replicas,
    int start,
    LabelSelector selector,
    String serviceName,
    PodTemplateSpec template,
    List<PersistentVolumeClaim> claimTemplates,
    PodManagementPolicy podManagementPolicy,
    UpdateStrategyType updateStrategy,
    int partition,
    IntOrString maxUnavailable,
    int minReadySeconds,
    int revisionHistoryLimit,
    RetentionPolicyType whenDeleted,
    RetentionPolicyType whenScaled,
    VolumeClaimUpdateStrategyType volumeClaimUpdateStrategy,
    VolumeReuseType volumeReuse,
    SetKind kind) {

  public SetDefinition {
    claimTemplates = List.copyOf(claimTemplates);
  }

  /** The same set as an OrdinalSet (what {@link SpecValidator} builds). */
  public SetDefinition(String namespace, String name, String uid, long generation, int replicas, int start, LabelSelector selector,
      String serviceName, PodTemplateSpec template, List<PersistentVolumeClaim> claimTemplates, PodManagementPolicy podManagementPolicy,
      UpdateStrategyType updateStrategy, int partition, IntOrString maxUnavailable, int minReadySeconds, int revisionHistoryLimit,
      RetentionPolicyType whenDeleted, RetentionPolicyType whenScaled, VolumeClaimUpdateStrategyType volumeClaimUpdateStrategy,
      VolumeReuseType volumeReuse) {
    this(namespace, name, uid, generation, replicas, start, selector, serviceName, template, claimTemplates, podManagementPolicy,
        updateStrategy, partition, maxUnavailable, minReadySeconds, revisionHistoryLimit, whenDeleted, whenScaled,
        volumeClaimUpdateStrategy, volumeReuse, SetKind.ORDINAL_SET);
  }

  /** This set as another kind of object, with the given claim growth and volume reuse policies. */
  public SetDefinition as(SetKind newKind, VolumeClaimUpdateStrategyType growth, VolumeReuseType reuse) {
    return new SetDefinition(namespace, name, uid, generation, replicas, start, selector, serviceName, template, claimTemplates,
        podManagementPolicy, updateStrategy, partition, maxUnavailable, minReadySeconds, revisionHistoryLimit, whenDeleted, whenScaled,
        growth, reuse, newKind);
  }

  /** One past the highest desired ordinal. */
  public int endExclusive() {
    return start + replicas;
  }

  /** Upstream podInOrdinalRange. */
  public boolean inRange(int ordinal) {
    return ordinal >= start && ordinal < endExclusive();
  }

  public boolean isParallel() {
    return podManagementPolicy == PodManagementPolicy.Parallel;
  }

  public List<String> claimTemplateNames() {
    return claimTemplates.stream().map(t -> t.getMetadata().getName()).toList();
  }
}
