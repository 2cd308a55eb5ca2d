package dev.ordinal.bench;

import dev.ordinal.binding.BindingDecision;
import dev.ordinal.binding.ClaimBinder;
import dev.ordinal.binding.ClaimToBind;
import dev.ordinal.binding.VolumeIndex;
import java.util.List;
import java.util.Map;

/** Proof that the comparison is honest: both matchers pick the same volume for each claim. */
final class EquivalenceCheck {
  private EquivalenceCheck() {}

  /**
   * Decides the first {@code sample} claims (all when fewer) against all volumes with both
   * matchers and fails unless each claim gets the same volume, or none from both.
   *
   * @return a one-line summary
   */
  static String verify(BenchData data, int sample) {
    List<ClaimToBind> claims = data.claims().subList(0, Math.min(sample, data.claims().size()));
    List<BindingDecision> indexed =
        new ClaimBinder(data.classes(), Map.of()).decide(claims, VolumeIndex.of(data.volumes()));
    List<String> linear = LinearScanMatcher.match(data.volumes(), claims);
    int reserved = 0;
    int mismatches = 0;
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < claims.size(); i++) {
      String byIndex = chosen(indexed.get(i));
      if (byIndex != null) {
        reserved++;
      }
      if (!java.util.Objects.equals(byIndex, linear.get(i))) {
        if (mismatches++ < 5) {
          first.append("\n  ").append(claims.get(i).claim().getMetadata().getName())
              .append(": indexed ").append(indexed.get(i)).append(", linear ").append(linear.get(i));
        }
      }
    }
    if (mismatches > 0) {
      throw new IllegalStateException(
          mismatches + " of " + claims.size() + " claims differ between the matchers:" + first);
    }
    String summary =
        "equivalence check: " + claims.size() + " claims x " + data.volumes().size()
            + " volumes, same choice for all (" + reserved + " get a volume)";
    System.out.println(summary);
    return summary;
  }

  private static String chosen(BindingDecision decision) {
    return switch (decision) {
      case BindingDecision.Reserve r -> r.volume().getMetadata().getName();
      case BindingDecision.CompleteBind c -> c.volume().getMetadata().getName();
      default -> null;
    };
  }
}
