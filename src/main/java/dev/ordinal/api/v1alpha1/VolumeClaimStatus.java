package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Progress of one claim towards its template's storage request (listed only while not there yet). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeClaimStatus {
  @JsonPropertyDescription("Claim name.")
  private String name;
  @JsonPropertyDescription("Ordinal the claim belongs to.")
  private Integer ordinal;
  @JsonPropertyDescription("Storage the template asks for.")
  private String requested;
  @JsonPropertyDescription("Storage the claim has now (status.capacity).")
  private String capacity;
  @JsonPropertyDescription("Waiting (queued in ordinal order), Resizing, or Refused (with the reason in the condition).")
  private String state;

  public VolumeClaimStatus() {}

  public VolumeClaimStatus(String name, Integer ordinal, String requested, String capacity, String state) {
    this.name = name;
    this.ordinal = ordinal;
    this.requested = requested;
    this.capacity = capacity;
    this.state = state;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getOrdinal() { return ordinal; }
  public void setOrdinal(Integer ordinal) { this.ordinal = ordinal; }
  public String getRequested() { return requested; }
  public void setRequested(String requested) { this.requested = requested; }
  public String getCapacity() { return capacity; }
  public void setCapacity(String capacity) { this.capacity = capacity; }
  public String getState() { return state; }
  public void setState(String state) { this.state = state; }

  @Override
  public boolean equals(Object o) {
    return o instanceof VolumeClaimStatus v && Objects.equals(name, v.name) && Objects.equals(ordinal, v.ordinal)
        && Objects.equals(requested, v.requested) && Objects.equals(capacity, v.capacity) && Objects.equals(state, v.state);
  }

  @Override public int hashCode() { return Objects.hash(name, ordinal, requested, capacity, state); }

  @Override public String toString() {
    return "VolumeClaimStatus{name=" + name + ", ordinal=" + ordinal + ", requested=" + requested + ", capacity=" + capacity + ", state=" + state + "}";
  }
}
