package dev.ordinal.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.operator.health.InformerHealth.Informer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Readiness and liveness computed from fake informer states and a fake clock. */
class InformerHealthTest {
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicReference<List<Informer>> informers = new AtomicReference<>(List.of());
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InformerHealth health = new InformerHealth(started::get, informers::get, now::get, Duration.ofSeconds(90));

  private static Informer watching(String name) {
    return new Informer(name, true, true, true);
  }

  private void advance(int seconds) {
    now.set(now.get().plusSeconds(seconds));
  }

  @Test
  void beforeStartLiveButNotReady() {
    informers.set(List.of(new Informer("pods", true, false, false)));
    var v = health.check();
    assertThat(v.live()).isTrue();
    assertThat(v.ready()).isFalse();
    assertThat(v.describe()).isEqualTo("not started");
  }

  @Test
  void allWatchingIsReadyAndLive() {
    started.set(true);
    informers.set(List.of(watching("pods"), watching("claims")));
    var v = health.check();
    assertThat(v.ready()).isTrue();
    assertThat(v.live()).isTrue();
    assertThat(v.describe()).isEqualTo("ok");
  }

  @Test
  void aDroppedWatchIsUnreadyAtOnceButUnliveOnlyAfterTheStallLimitThenRecovers() {
    started.set(true);
    informers.set(List.of(watching("pods"), new Informer("claims", true, true, false)));
    var v = health.check();
    assertThat(v.ready()).isFalse();
    assertThat(v.live()).as("an API-server restart drops every watch for a while").isTrue();
    assertThat(v.describe()).isEqualTo("not watching: claims");

    advance(60);
    assertThat(health.check().live()).as("60 s: within fabric8's reconnect backoff").isTrue();
    advance(31);
    v = health.check();
    assertThat(v.live()).as("91 s without a watch").isFalse();
    assertThat(v.describe()).contains("not watching for too long: claims (since 2026-01-01T00:00:00Z)");

    informers.set(List.of(watching("pods"), watching("claims")));
    v = health.check();
    assertThat(v.live()).isTrue();
    assertThat(v.ready()).isTrue();

    informers.set(List.of(watching("pods"), new Informer("claims", true, true, false)));
    advance(60);
    assertThat(health.check().live()).as("a new gap is timed from its own start").isTrue();
  }

  @Test
  void aStoppedInformerIsNotLiveAtOnce() {
    started.set(true);
    informers.set(List.of(watching("pods"), new Informer("volumes", false, true, false)));
    var v = health.check();
    assertThat(v.live()).as("fabric8 never restarts a stopped informer").isFalse();
    assertThat(v.ready()).isFalse();
    assertThat(v.describe()).isEqualTo("stopped: volumes");
  }

  @Test
  void anUnsyncedInformerIsNotReady() {
    started.set(true);
    informers.set(List.of(new Informer("pods", true, false, true)));
    assertThat(health.check().ready()).isFalse();
    assertThat(health.check().live()).isTrue();
  }
}
