package dev.ordinal.operator.execute;

import dev.ordinal.planning.Action;
import dev.ordinal.spec.SetDefinition;
import java.util.List;

/** Turns planned actions into API writes. The only interface between the pure core and the API. */
public interface ActionExecutor {
  ExecutionResult execute(SetDefinition set, List<Action> actions);
}
