package dev.ordinal.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Readiness and liveness from the informers' own state (JOSDK's informer health indicators).
 *
 * <ul>
 *   <li><b>ready</b>: the operator has started and every informer runs, has synced and is watching
 *       right now. A watch that drops for a moment (an API-server restart) makes it unready for
 *       that moment: readiness only takes the pod out of Service endpoints.
 *   <li><b>live</b>: no informer has stopped for good (fabric8 gives up on a watch after some
 *       errors and never restarts it), and none has gone without a watch for longer than
 *       {@code watchStallLimit}. A healthy informer re-lists and watches again within its
 *       reconnect backoff (at most about 32 s in fabric8) once the API server answers, so a longer
 *       gap means a stuck pod, which the kubelet should restart.
 * </ul>
 * Before the operator has started, it is live (the startup probe covers start) and not ready.
 */
public final class InformerHealth {
  /** Default for {@code watchStallLimit}: well above fabric8's longest reconnect backoff (32 s). */
  public static final Duration DEFAULT_WATCH_STALL_LIMIT = Duration.ofSeconds(90);

  /** One informer as JOSDK reports it. */
  public record Informer(String name, boolean running, boolean synced, boolean watching) {}

  /** The verdicts, with the informers that caused them. */
  public record Verdict(boolean started, boolean ready, boolean live, List<String> notWatching, List<String> stopped,
      List<String> stalled) {
    /** One line for the probe endpoints and logs. */
    public String describe() {
      if (!started) {
        return "not started";
      }
      List<String> parts = new ArrayList<>();
      if (!stopped.isEmpty()) {
        parts.add("stopped: " + String.join(", ", stopped));
      }
      if (!stalled.isEmpty()) {
        parts.add("not watching for too long: " + String.join(", ", stalled));
      }
      if (!notWatching.isEmpty()) {
        parts.add("not watching: " + String.join(", ", notWatching));
      }
      return parts.isEmpty() ? "ok" : String.join("; ", parts);
    }
  }

  private final Supplier<Boolean> started;
  private final Supplier<List<Informer>> informers;
  private final Supplier<Instant> clock;
  private final Duration watchStallLimit;
  private final Map<String, Instant> notWatchingSince = new ConcurrentHashMap<>();

  public InformerHealth(Supplier<Boolean> started, Supplier<List<Informer>> informers, Supplier<Instant> clock, Duration watchStallLimit) {
    this.started = started;
    this.informers = informers;
    this.clock = clock;
    this.watchStallLimit = watchStallLimit;
  }

  /**
   * Looks at the informers now. Called by the probes and by a periodic check, so a gap in watching
   * is timed from when it was first seen (at most one check period late).
   */
  public synchronized Verdict check() {
    if (!started.get()) {
      notWatchingSince.clear();
      return new Verdict(false, false, true, List.of(), List.of(), List.of());
    }
    Instant now = clock.get();
    List<String> notWatching = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    List<String> stalled = new ArrayList<>();
    boolean ready = true;
    List<Informer> all = informers.get();
    for (Informer i : all) {
      if (!i.running()) {
        stopped.add(i.name());
        ready = false;
        continue;
      }
      if (!i.synced()) {
        ready = false;
      }
      if (i.watching()) {
        notWatchingSince.remove(i.name());
      } else {
        ready = false;
        notWatching.add(i.name());
        Instant since = notWatchingSince.computeIfAbsent(i.name(), n -> now);
        if (Duration.between(since, now).compareTo(watchStallLimit) > 0) {
          stalled.add(i.name() + " (since " + since + ")");
        }
      }
    }
    notWatchingSince.keySet().retainAll(all.stream().map(Informer::name).toList());
    return new Verdict(true, ready, stopped.isEmpty() && stalled.isEmpty(), notWatching, stopped, stalled);
  }
}
