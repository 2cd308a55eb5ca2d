package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollingUpdate {
  @JsonPropertyDescription("Ordinals greater than or equal to the partition get the update revision; lower ordinals keep the current one. Default 0.")
  @Min(0)
  private Integer partition;

  @JsonPropertyDescription("Most pods that may be unavailable during the update: an integer >= 1 or a percentage of replicas (rounded down, at least 1). Default 1.")
  @ValidationRule(
      value = "type(self) == int ? self >= 1 : self.matches('^(100|[1-9][0-9]?)%$')",
      message = "maxUnavailable must be an integer >= 1 or a percentage between 1% and 100%",
      reason = "FieldValueInvalid")
  private IntOrString maxUnavailable;

  public RollingUpdate() {}

  public RollingUpdate(Integer partition, IntOrString maxUnavailable) {
    this.partition = partition;
    this.maxUnavailable = maxUnavailable;
  }

  public Integer getPartition() { return partition; }
  public void setPartition(Integer partition) { this.partition = partition; }
  public IntOrString getMaxUnavailable() { return maxUnavailable; }
  public void setMaxUnavailable(IntOrString maxUnavailable) { this.maxUnavailable = maxUnavailable; }

  @Override public boolean equals(Object o) {
    return o instanceof RollingUpdate r && Objects.equals(partition, r.partition) && Objects.equals(maxUnavailable, r.maxUnavailable);
  }
  @Override public int hashCode() { return Objects.hash(partition, maxUnavailable); }
  @Override public String toString() { return "RollingUpdate{partition=" + partition + ", maxUnavailable=" + maxUnavailable + "}"; }
}
