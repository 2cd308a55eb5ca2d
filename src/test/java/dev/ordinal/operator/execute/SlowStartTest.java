package dev.ordinal.operator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlowStartTest {
  @Test
  void aSetMakingProgressGoesOnAtTheBatchSizeItReached() {
    SlowStart s = new SlowStart(64);
    assertThat(s.first("ns/web")).isEqualTo(1);
    s.finished("ns/web", 16, false);
    assertThat(s.first("ns/web")).isEqualTo(16);
    assertThat(s.first("ns/other")).as("other sets start on their own").isEqualTo(1);
  }

  @Test
  void aFailureSendsTheSetBackToOne() {
    SlowStart s = new SlowStart(64);
    s.finished("ns/web", 32, false);
    s.finished("ns/web", 32, true);
    assertThat(s.first("ns/web")).isEqualTo(1);
  }

  @Test
  void batchesDoubleUpToTheLimit() {
    SlowStart s = new SlowStart(8);
    assertThat(s.next(1)).isEqualTo(2);
    assertThat(s.next(4)).isEqualTo(8);
    assertThat(s.next(8)).isEqualTo(8);
    s.finished("ns/web", 100, false);
    assertThat(s.first("ns/web")).isEqualTo(8);
  }
}
