package dev.ordinal.operator.execute;

import dev.ordinal.planning.Action;
import java.util.List;

/** What the executor did: actions done, and those that failed or were skipped (retried next reconcile). */
public record ExecutionResult(List<Action> done, List<Action> notDone) {
  public ExecutionResult {
    done = List.copyOf(done);
    notDone = List.copyOf(notDone);
  }

  public boolean complete() {
    return notDone.isEmpty();
  }
}
