package dev.ordinal.spec;

import java.util.List;
import java.util.Optional;

/** Either a set that can be acted on, or every reason it cannot. */
public record SpecValidation(Optional<SetDefinition> definition, List<String> problems) {
  public SpecValidation {
    problems = List.copyOf(problems);
  }

  public boolean isValid() {
    return problems.isEmpty();
  }

  public String summary() {
    return String.join("; ", problems);
  }
}
