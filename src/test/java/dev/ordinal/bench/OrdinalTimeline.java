package dev.ordinal.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each ordinal's claim and pod first reached each step, as a watcher of the namespace saw it
 * (claim created, claim Bound, pod created, pod scheduled, pod Ready), and for an OrderedReady set
 * where the time between one Ready pod and the next goes: the medians of the steps over all
 * ordinals but the first. Works for any controller that names objects {@code <...>-<set>-<i>}.
 */
final class OrdinalTimeline implements AutoCloseable {
  enum Step { CLAIM_CREATED, CLAIM_BOUND, POD_CREATED, POD_SCHEDULED, POD_READY }

  private static final Pattern ORDINAL = Pattern.compile("-(\\d+)$");
  private final Map<Step, Map<Integer, Long>> seen = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  OrdinalTimeline(KubernetesClient client, String namespace) {
    for (Step s : Step.values()) {
      seen.put(s, new ConcurrentHashMap<>());
    }
    informers.add(client.persistentVolumeClaims().inNamespace(namespace).inform(handler(Map.of(
        Step.CLAIM_CREATED, c -> true,
        Step.CLAIM_BOUND, c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase())))));
    informers.add(client.pods().inNamespace(namespace).inform(handler(Map.<Step, Predicate<Pod>>of(
        Step.POD_CREATED, p -> true,
        Step.POD_SCHEDULED, p -> p.getSpec().getNodeName() != null,
        Step.POD_READY, ConvergenceBenchmarkTest::isReady))));
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(Map<Step, Predicate<T>> steps) {
    return new ResourceEventHandler<>() {
      public void onAdd(T o) {
        record(o);
      }

      public void onUpdate(T old, T o) {
        record(o);
      }

      public void onDelete(T o, boolean unknown) {}

      private void record(T o) {
        long now = System.nanoTime();
        Matcher m = ORDINAL.matcher(o.getMetadata().getName());
        if (!m.find()) {
          return;
        }
        int ordinal = Integer.parseInt(m.group(1));
        steps.forEach((step, test) -> {
          if (test.test(o)) {
            seen.get(step).putIfAbsent(ordinal, now);
          }
        });
      }
    };
  }

  /** Median milliseconds of each step of an OrderedReady ordinal, over ordinals 1..n-1; empty when a step is missing. */
  String orderedReadyBreakdown(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append(row("previous pod Ready -> claim created", n, i -> gap(Step.POD_READY, i - 1, Step.CLAIM_CREATED, i)));
    sb.append(row("previous pod Ready -> pod created", n, i -> gap(Step.POD_READY, i - 1, Step.POD_CREATED, i)));
    sb.append(row("claim created -> claim Bound", n, i -> gap(Step.CLAIM_CREATED, i, Step.CLAIM_BOUND, i)));
    sb.append(row("claim created -> pod created", n, i -> gap(Step.CLAIM_CREATED, i, Step.POD_CREATED, i)));
    sb.append(row("pod created and claim Bound -> pod scheduled", n, i -> {
      Long created = at(Step.POD_CREATED, i);
      Long bound = at(Step.CLAIM_BOUND, i);
      Long scheduled = at(Step.POD_SCHEDULED, i);
      return created == null || bound == null || scheduled == null ? null : scheduled - Math.max(created, bound);
    }));
    sb.append(row("pod scheduled -> pod Ready", n, i -> gap(Step.POD_SCHEDULED, i, Step.POD_READY, i)));
    sb.append(row("previous pod Ready -> pod Ready (one ordinal)", n, i -> gap(Step.POD_READY, i - 1, Step.POD_READY, i)));
    return sb.toString();
  }

  /** How many ordinals have reached this step (at some moment: first seen, never forgotten). */
  int count(Step step) {
    return seen.get(step).size();
  }

  private Long at(Step step, int ordinal) {
    return seen.get(step).get(ordinal);
  }

  private Long gap(Step from, int fromOrdinal, Step to, int toOrdinal) {
    Long a = at(from, fromOrdinal);
    Long b = at(to, toOrdinal);
    return a == null || b == null ? null : b - a;
  }

  private static String row(String what, int n, java.util.function.IntFunction<Long> gapOf) {
    long[] gaps = java.util.stream.IntStream.range(1, n).mapToObj(gapOf).filter(g -> g != null).mapToLong(Long::longValue).sorted().toArray();
    if (gaps.length == 0) {
      return "| " + what + " | - |\n";
    }
    return String.format("| %s | median %.1f ms, p90 %.1f ms (%d ordinals) |%n", what, gaps[gaps.length / 2] / 1e6,
        gaps[Math.min(gaps.length - 1, (int) Math.ceil(gaps.length * 0.9) - 1)] / 1e6, gaps.length);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
