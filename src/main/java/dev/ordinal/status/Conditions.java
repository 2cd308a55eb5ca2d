package dev.ordinal.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The set's condition types and the rule that lastTransitionTime changes only with status. */
public final class Conditions {
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String STORAGE_BOUND = "StorageBound";
  public static final String SPEC_VALID = "SpecValid";
  public static final String CLAIMS_UP_TO_DATE = "ClaimsUpToDate";

  private Conditions() {}

  public static Condition of(String type, boolean status, String reason, String message, long generation, Instant now) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(now.toString())
        .build();
  }

  /** Keeps each old condition's lastTransitionTime when its status did not change. */
  public static List<Condition> carryTransitionTimes(List<Condition> previous, List<Condition> next) {
    List<Condition> merged = new ArrayList<>();
    for (Condition c : next) {
      Condition old = previous == null ? null
          : previous.stream().filter(p -> Objects.equals(p.getType(), c.getType())).findFirst().orElse(null);
      if (old != null && Objects.equals(old.getStatus(), c.getStatus()) && old.getLastTransitionTime() != null) {
        merged.add(new ConditionBuilder(c).withLastTransitionTime(old.getLastTransitionTime()).build());
      } else {
        merged.add(c);
      }
    }
    return merged;
  }

  public static java.util.Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? java.util.Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
