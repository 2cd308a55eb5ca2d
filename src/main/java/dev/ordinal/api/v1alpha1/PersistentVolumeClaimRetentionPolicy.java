package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PersistentVolumeClaimRetentionPolicy {
  @JsonPropertyDescription("What happens to claims when the set is deleted: Retain (default) or Delete.")
  private RetentionPolicyType whenDeleted;

  @JsonPropertyDescription("What happens to the claims of scaled-away ordinals: Retain (default) or Delete.")
  private RetentionPolicyType whenScaled;

  public PersistentVolumeClaimRetentionPolicy() {}

  public PersistentVolumeClaimRetentionPolicy(RetentionPolicyType whenDeleted, RetentionPolicyType whenScaled) {
    this.whenDeleted = whenDeleted;
    this.whenScaled = whenScaled;
  }

  public RetentionPolicyType getWhenDeleted() { return whenDeleted; }
  public void setWhenDeleted(RetentionPolicyType whenDeleted) { this.whenDeleted = whenDeleted; }
  public RetentionPolicyType getWhenScaled() { return whenScaled; }
  public void setWhenScaled(RetentionPolicyType whenScaled) { this.whenScaled = whenScaled; }

  @Override public boolean equals(Object o) {
    return o instanceof PersistentVolumeClaimRetentionPolicy p && whenDeleted == p.whenDeleted && whenScaled == p.whenScaled;
  }
  @Override public int hashCode() { return Objects.hash(whenDeleted, whenScaled); }
  @Override public String toString() { return "RetentionPolicy{whenDeleted=" + whenDeleted + ", whenScaled=" + whenScaled + "}"; }
}
