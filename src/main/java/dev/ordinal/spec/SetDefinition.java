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
    VolumeReuseType volumeReuse) {

  public SetDefinition {
    claimTemplates = List.copyOf(claimTemplates);
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
