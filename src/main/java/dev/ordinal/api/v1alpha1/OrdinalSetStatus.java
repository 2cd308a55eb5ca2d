package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The last observed state of a set; never used as memory between reconciles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OrdinalSetStatus {
  @JsonPropertyDescription("The generation this status describes.")
  private Long observedGeneration;
  @JsonPropertyDescription("Pods created by the operator that exist.")
  @StatusReplicas
  private Integer replicas;
  @JsonPropertyDescription("Pods Running and Ready.")
  private Integer readyReplicas;
  @JsonPropertyDescription("Pods Ready for at least minReadySeconds.")
  private Integer availableReplicas;
  @JsonPropertyDescription("Pods on the current revision.")
  private Integer currentReplicas;
  @JsonPropertyDescription("Pods on the update revision.")
  private Integer updatedReplicas;
  @JsonPropertyDescription("Revision of the pods below the partition.")
  private String currentRevision;
  @JsonPropertyDescription("Revision the pods are being updated to.")
  private String updateRevision;
  @JsonPropertyDescription("Hash collisions met while naming ControllerRevisions.")
  private Integer collisionCount;
  @JsonPropertyDescription("The selector in string form, for the scale subresource.")
  @LabelSelector
  private String selector;
  @JsonPropertyDescription("Claims of the desired ordinals that are Bound.")
  private Integer boundClaims;
  @JsonPropertyDescription("Claims of the desired ordinals that are not Bound yet.")
  private Integer pendingClaims;
  @JsonPropertyDescription("Claims still on their way to the template's storage request, in ordinal order.")
  private List<VolumeClaimStatus> volumeClaims;
  @JsonPropertyDescription("Available, Progressing, StorageBound, ClaimsUpToDate and SpecValid.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public Integer getReadyReplicas() { return readyReplicas; }
  public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
  public Integer getAvailableReplicas() { return availableReplicas; }
  public void setAvailableReplicas(Integer availableReplicas) { this.availableReplicas = availableReplicas; }
  public Integer getCurrentReplicas() { return currentReplicas; }
  public void setCurrentReplicas(Integer currentReplicas) { this.currentReplicas = currentReplicas; }
  public Integer getUpdatedReplicas() { return updatedReplicas; }
  public void setUpdatedReplicas(Integer updatedReplicas) { this.updatedReplicas = updatedReplicas; }
  public String getCurrentRevision() { return currentRevision; }
  public void setCurrentRevision(String currentRevision) { this.currentRevision = currentRevision; }
  public String getUpdateRevision() { return updateRevision; }
  public void setUpdateRevision(String updateRevision) { this.updateRevision = updateRevision; }
  public Integer getCollisionCount() { return collisionCount; }
  public void setCollisionCount(Integer collisionCount) { this.collisionCount = collisionCount; }
  public String getSelector() { return selector; }
  public void setSelector(String selector) { this.selector = selector; }
  public Integer getBoundClaims() { return boundClaims; }
  public void setBoundClaims(Integer boundClaims) { this.boundClaims = boundClaims; }
  public Integer getPendingClaims() { return pendingClaims; }
  public void setPendingClaims(Integer pendingClaims) { this.pendingClaims = pendingClaims; }
  public List<VolumeClaimStatus> getVolumeClaims() { return volumeClaims; }
  public void setVolumeClaims(List<VolumeClaimStatus> volumeClaims) { this.volumeClaims = volumeClaims; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrdinalSetStatus s
        && Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(replicas, s.replicas)
        && Objects.equals(readyReplicas, s.readyReplicas) && Objects.equals(availableReplicas, s.availableReplicas)
        && Objects.equals(currentReplicas, s.currentReplicas) && Objects.equals(updatedReplicas, s.updatedReplicas)
        && Objects.equals(currentRevision, s.currentRevision) && Objects.equals(updateRevision, s.updateRevision)
        && Objects.equals(collisionCount, s.collisionCount) && Objects.equals(selector, s.selector)
        && Objects.equals(boundClaims, s.boundClaims) && Objects.equals(pendingClaims, s.pendingClaims)
        && Objects.equals(volumeClaims, s.volumeClaims) && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, replicas, readyReplicas, availableReplicas, currentReplicas,
        updatedReplicas, currentRevision, updateRevision, collisionCount, selector, boundClaims, pendingClaims, volumeClaims, conditions);
  }

  @Override
  public String toString() {
    return "OrdinalSetStatus{observedGeneration=" + observedGeneration + ", replicas=" + replicas
        + ", readyReplicas=" + readyReplicas + ", availableReplicas=" + availableReplicas
        + ", currentReplicas=" + currentReplicas + ", updatedReplicas=" + updatedReplicas
        + ", currentRevision=" + currentRevision + ", updateRevision=" + updateRevision
        + ", collisionCount=" + collisionCount + ", selector=" + selector + ", boundClaims=" + boundClaims
        + ", pendingClaims=" + pendingClaims + ", volumeClaims=" + volumeClaims + ", conditions=" + conditions + "}";
  }
}
