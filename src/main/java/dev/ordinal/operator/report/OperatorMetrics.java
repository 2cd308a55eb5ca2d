package dev.ordinal.operator.report;

import dev.ordinal.api.v1alpha1.OrdinalSetStatus;
import dev.ordinal.planning.Action;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The operator's own metrics (JOSDK adds its reconcile metrics beside them). */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Supplier<Instant> clock;
  private final Map<String, SetGauges> gauges = new ConcurrentHashMap<>();
  private final Map<String, StatefulSetGauges> statefulSetGauges = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry, Supplier<Instant> clock) {
    this.registry = registry;
    this.clock = clock;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void actionDone(Action action) {
    Counter.builder("ordinal_actions_total").description("API actions executed, by type and outcome")
        .tags("type", action.getClass().getSimpleName(), "outcome", "done").register(registry).increment();
  }

  public void actionFailed(Action action) {
    Counter.builder("ordinal_actions_total").description("API actions executed, by type and outcome")
        .tags("type", action.getClass().getSimpleName(), "outcome", "failed").register(registry).increment();
  }

  /** Bind latency: from the claim's creation to the moment the operator completed its bind. */
  /** A slow-start batch of a Parallel set stopped the rest of its pass (an API failure, not a conflict). */
  public void batchAborted(String namespace, String set) {
    Counter.builder("ordinal_executor_batches_aborted_total").description("Slow-start batches that stopped the rest of a pass")
        .tags("namespace", namespace, "set", set).register(registry).increment();
  }

  public void claimBound(SetDefinition set, PersistentVolumeClaim claim) {
    String created = claim.getMetadata().getCreationTimestamp();
    if (created == null) {
      return;
    }
    try {
      Duration latency = Duration.between(Instant.parse(created), clock.get());
      if (!latency.isNegative()) {
        Timer.builder("ordinal_bind_latency").description("Time from claim creation to Bound")
            .tags("namespace", set.namespace(), "set", set.name()).register(registry).record(latency);
      }
    } catch (RuntimeException unparsable) {
      // a timestamp we cannot read only costs one latency sample
    }
  }

  public void reconciled(String namespace, String name, Duration duration) {
    Timer.builder("ordinal_reconcile_duration").description("Duration of one reconcile of a set")
        .tags("namespace", namespace, "set", name).register(registry).record(duration);
  }

  public void status(String namespace, String name, OrdinalSetStatus status) {
    SetGauges g = gauges.computeIfAbsent(namespace + "/" + name, k -> new SetGauges(registry, Tags.of("namespace", namespace, "set", name)));
    g.bound.set(nz(status.getBoundClaims()));
    g.pending.set(nz(status.getPendingClaims()));
    g.ready.set(nz(status.getReadyReplicas()));
    g.updated.set(nz(status.getUpdatedReplicas()));
  }

  /** The claims of a StatefulSet in storage mode: Bound, not Bound yet, and on their way to a larger template. */
  public void statefulSetStorage(String namespace, String name, int bound, int pending, int resizing) {
    StatefulSetGauges g = statefulSetGauges.computeIfAbsent(namespace + "/" + name,
        k -> new StatefulSetGauges(registry, Tags.of("namespace", namespace, "statefulset", name)));
    g.bound.set(bound);
    g.pending.set(pending);
    g.resizing.set(resizing);
  }

  public void forget(String namespace, String name) {
    SetGauges g = gauges.remove(namespace + "/" + name);
    if (g != null) {
      g.remove(registry);
    }
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  private static final class SetGauges {
    final AtomicInteger bound = new AtomicInteger();
    final AtomicInteger pending = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger updated = new AtomicInteger();
    final java.util.List<Gauge> meters;

    SetGauges(MeterRegistry registry, Tags tags) {
      meters = java.util.List.of(
          Gauge.builder("ordinal_claims_bound", bound, AtomicInteger::get).description("Bound claims of the desired ordinals").tags(tags).register(registry),
          Gauge.builder("ordinal_claims_pending", pending, AtomicInteger::get).description("Claims of the desired ordinals not Bound yet").tags(tags).register(registry),
          Gauge.builder("ordinal_ready_replicas", ready, AtomicInteger::get).description("Pods Running and Ready").tags(tags).register(registry),
          Gauge.builder("ordinal_rollout_updated_replicas", updated, AtomicInteger::get).description("Pods on the update revision").tags(tags).register(registry));
    }

    void remove(MeterRegistry registry) {
      meters.forEach(registry::remove);
    }
  }

  private static final class StatefulSetGauges {
    final AtomicInteger bound = new AtomicInteger();
    final AtomicInteger pending = new AtomicInteger();
    final AtomicInteger resizing = new AtomicInteger();

    StatefulSetGauges(MeterRegistry registry, Tags tags) {
      Gauge.builder("ordinal_statefulset_claims_bound", bound, AtomicInteger::get)
          .description("Bound claims of a StatefulSet's desired ordinals (storage mode)").tags(tags).register(registry);
      Gauge.builder("ordinal_statefulset_claims_pending", pending, AtomicInteger::get)
          .description("Claims of a StatefulSet's desired ordinals not Bound yet (storage mode)").tags(tags).register(registry);
      Gauge.builder("ordinal_statefulset_claims_resizing", resizing, AtomicInteger::get)
          .description("Claims of a StatefulSet growing or waiting to grow to its template's size (storage mode)").tags(tags).register(registry);
    }
  }
}
