package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's safety net as JOSDK is configured: a failing set is retried forever, at most 30 s
 * apart, and every set is reconciled at least every 5 minutes (JOSDK's defaults: 5 attempts,
 * then nothing for 10 hours).
 */
class FailureRetryTest {
  @Test
  void aFailingSetIsRetriedWithoutLimitAtMostThirtySecondsApart() {
    RetryExecution retry = OrdinalOperator.failureRetry().initExecution();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      delays.add(retry.nextDelay().orElseThrow(() -> new AssertionError("retries ran out")));
    }
    assertThat(delays.subList(0, 7)).containsExactly(1000L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L);
    assertThat(delays).allMatch(d -> d <= 30_000L);
    assertThat(retry.isLastAttempt()).isFalse();
  }

  @Test
  void theRegisteredControllerUsesTheRetryAndTheMaxInterval() {
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build()) {
      OrdinalOperator operator = OrdinalOperator.create(client, OperatorConfig.local(Set.of()), new SimpleMeterRegistry(), Instant::now);
      ControllerConfiguration<?> config = operator.controllerConfiguration();
      assertThat(config.maxReconciliationInterval()).contains(Duration.ofMinutes(5));
      RetryExecution retry = config.getRetry().initExecution();
      for (int i = 0; i < 100; i++) {
        assertThat(retry.nextDelay()).hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(30_000L));
      }
    }
  }
}
