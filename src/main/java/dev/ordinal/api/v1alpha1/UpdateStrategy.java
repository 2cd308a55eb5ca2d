package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.type) && self.type == 'OnDelete' && has(self.rollingUpdate))",
    message = "rollingUpdate may only be set when type is RollingUpdate",
    reason = "FieldValueForbidden")
public class UpdateStrategy {
  @JsonPropertyDescription("RollingUpdate (default) or OnDelete.")
  private UpdateStrategyType type;

  @JsonPropertyDescription("Parameters of a RollingUpdate.")
  private RollingUpdate rollingUpdate;

  public UpdateStrategy() {}

  public UpdateStrategy(UpdateStrategyType type, RollingUpdate rollingUpdate) {
    this.type = type;
    this.rollingUpdate = rollingUpdate;
  }

  public UpdateStrategyType getType() { return type; }
  public void setType(UpdateStrategyType type) { this.type = type; }
  public RollingUpdate getRollingUpdate() { return rollingUpdate; }
  public void setRollingUpdate(RollingUpdate rollingUpdate) { this.rollingUpdate = rollingUpdate; }

  @Override public boolean equals(Object o) {
    return o instanceof UpdateStrategy u && type == u.type && Objects.equals(rollingUpdate, u.rollingUpdate);
  }
  @Override public int hashCode() { return Objects.hash(type, rollingUpdate); }
  @Override public String toString() { return "UpdateStrategy{type=" + type + ", rollingUpdate=" + rollingUpdate + "}"; }
}
