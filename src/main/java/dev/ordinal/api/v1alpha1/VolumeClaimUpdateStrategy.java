package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeClaimUpdateStrategy {
  @JsonPropertyDescription("InPlace (default): a larger storage request in a claim template expands existing claims in ordinal order when their class allows expansion. Never: template storage changes are ignored.")
  private VolumeClaimUpdateStrategyType type;

  public VolumeClaimUpdateStrategy() {}

  public VolumeClaimUpdateStrategy(VolumeClaimUpdateStrategyType type) { this.type = type; }

  public VolumeClaimUpdateStrategyType getType() { return type; }
  public void setType(VolumeClaimUpdateStrategyType type) { this.type = type; }

  @Override public boolean equals(Object o) { return o instanceof VolumeClaimUpdateStrategy v && type == v.type; }
  @Override public int hashCode() { return Objects.hashCode(type); }
  @Override public String toString() { return "VolumeClaimUpdateStrategy{type=" + type + "}"; }
}
