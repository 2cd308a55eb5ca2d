package dev.ordinal.planning;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile should do and why it is waiting.
 *
 * @param actions writes, in the order they must happen
 * @param events events to record
 * @param waits why the set is not converged yet, one sentence each (shown in conditions)
 * @param stuck the reason progress is blocked by a broken pod or claim, if any (Progressing=False)
 * @param storageProblems why claims stay Pending, one sentence per claim (StorageBound=False)
 * @param requeueAfter when a time-based wait (minReadySeconds) ends, if one is running
 * @param claimRefusals template changes not applied to existing claims, and why
 * @param claimProgress claims on their way to the template's storage request
 */
public record OrdinalPlan(
    List<Action> actions,
    List<EventNote> events,
    List<String> waits,
    Optional<String> stuck,
    List<String> storageProblems,
    Optional<Duration> requeueAfter,
    List<String> claimRefusals,
    List<dev.ordinal.api.v1alpha1.VolumeClaimStatus> claimProgress) {

  public OrdinalPlan(List<Action> actions, List<EventNote> events, List<String> waits, Optional<String> stuck,
      List<String> storageProblems, Optional<Duration> requeueAfter) {
    this(actions, events, waits, stuck, storageProblems, requeueAfter, List.of(), List.of());
  }

  public OrdinalPlan {
    claimRefusals = List.copyOf(claimRefusals);
    claimProgress = List.copyOf(claimProgress);
    actions = List.copyOf(actions);
    events = List.copyOf(events);
    waits = List.copyOf(waits);
    storageProblems = List.copyOf(storageProblems);
  }

  public boolean isConverged() {
    return actions.isEmpty() && waits.isEmpty();
  }
}
