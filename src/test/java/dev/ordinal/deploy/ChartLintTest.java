package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {
  @Test
  void chartPassesStrictLint() {
    LintResult result = new Helm(Chart.DIR).lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .as("helm lint --strict reports no warnings or errors")
        .noneMatch(message -> message.startsWith("[WARNING]") || message.startsWith("[ERROR]"));
  }
}
