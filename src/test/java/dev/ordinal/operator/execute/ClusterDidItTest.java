package dev.ordinal.operator.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class ClusterDidItTest {
  private static KubernetesClientException status(int code) {
    return new KubernetesClientException("status " + code, code, null);
  }

  @Test
  void aConflictWhoseStepSomeoneElseAlreadyDidCountsAsDoneWithTheFreshObject() {
    String result = ClusterDidIt.writeOrAdopt(() -> { throw status(409); }, () -> "bound-by-binder", s -> s.startsWith("bound"), "step");
    assertThat(result).isEqualTo("bound-by-binder");
  }

  @Test
  void aConflictOverSomethingElseStands() {
    assertThatThrownBy(() -> ClusterDidIt.writeOrAdopt(() -> { throw status(409); }, () -> "claimed-by-other", s -> s.startsWith("bound"), "step"))
        .isInstanceOf(KubernetesClientException.class);
    assertThatThrownBy(() -> ClusterDidIt.<String>writeOrAdopt(() -> { throw status(409); }, () -> null, s -> true, "step"))
        .as("the object is gone").isInstanceOf(KubernetesClientException.class);
  }

  @Test
  void otherFailuresAreNotLookedAtAgain() {
    int[] reads = {0};
    assertThatThrownBy(() -> ClusterDidIt.writeOrAdopt(() -> { throw status(500); }, () -> { reads[0]++; return "x"; }, s -> true, "step"))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(reads[0]).isZero();
  }

  @Test
  void aConflictOverAnotherChangeIsWrittenAgainOnceOnTheFreshObject() {
    int[] writes = {0};
    String result = ClusterDidIt.writeOrAdopt(() -> { throw status(409); }, () -> "free", s -> false, "step",
        fresh -> () -> { writes[0]++; return "reserved-on-" + fresh; });
    assertThat(result).isEqualTo("reserved-on-free");
    assertThat(writes[0]).isOne();
    assertThatThrownBy(() -> ClusterDidIt.writeOrAdopt(() -> { throw status(409); }, () -> "taken", s -> false, "step", fresh -> null))
        .as("not free any more: the conflict stands").isInstanceOf(KubernetesClientException.class);
  }

  @Test
  void aSuccessfulWriteIsReturnedAsIs() {
    assertThat(ClusterDidIt.writeOrAdopt(() -> "written", () -> "fresh", s -> true, "step")).isEqualTo("written");
  }
}
