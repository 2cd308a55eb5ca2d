package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Ordinals {
  @JsonPropertyDescription("The first ordinal. Default 0.")
  @Min(0)
  private Integer start;

  public Ordinals() {}

  public Ordinals(Integer start) { this.start = start; }

  public Integer getStart() { return start; }
  public void setStart(Integer start) { this.start = start; }

  @Override public boolean equals(Object o) { return o instanceof Ordinals x && Objects.equals(start, x.start); }
  @Override public int hashCode() { return Objects.hashCode(start); }
  @Override public String toString() { return "Ordinals{start=" + start + "}"; }
}
