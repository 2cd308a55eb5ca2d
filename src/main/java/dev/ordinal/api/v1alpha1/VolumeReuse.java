package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeReuse {
  @JsonPropertyDescription("Never (default, as StatefulSet) or SameOrdinal: a claim recreated for ordinal i takes back the Released volume (Retain policy) that the claim of the same name held.")
  private VolumeReuseType type;

  public VolumeReuse() {}

  public VolumeReuse(VolumeReuseType type) { this.type = type; }

  public VolumeReuseType getType() { return type; }
  public void setType(VolumeReuseType type) { this.type = type; }

  @Override public boolean equals(Object o) { return o instanceof VolumeReuse v && type == v.type; }
  @Override public int hashCode() { return Objects.hashCode(type); }
  @Override public String toString() { return "VolumeReuse{type=" + type + "}"; }
}
