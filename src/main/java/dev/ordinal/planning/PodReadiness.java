package dev.ordinal.planning;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Upstream's pod predicates, under the same names, so readers of stateful_set_utils.go find them. */
public final class PodReadiness {
  private PodReadiness() {}

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
  }

  public static boolean isRunning(Pod pod) {
    return "Running".equals(phase(pod));
  }

  public static boolean isFailed(Pod pod) {
    return "Failed".equals(phase(pod));
  }

  public static boolean isSucceeded(Pod pod) {
    return "Succeeded".equals(phase(pod));
  }

  public static boolean isPending(Pod pod) {
    String phase = phase(pod);
    return phase.isEmpty() || "Pending".equals(phase);
  }

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  public static boolean isReady(Pod pod) {
    return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  public static boolean isRunningAndReady(Pod pod) {
    return isRunning(pod) && isReady(pod) && !isTerminating(pod);
  }

  /** Ready for at least minReadySeconds at {@code now}. */
  public static boolean isRunningAndAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isRunningAndReady(pod)) {
      return false;
    }
    if (minReadySeconds <= 0) {
      return true;
    }
    return readySince(pod).map(t -> !t.plusSeconds(minReadySeconds).isAfter(now)).orElse(false);
  }

  /** How long until a Ready pod becomes available, if it is not yet. */
  public static Optional<Duration> untilAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isRunningAndReady(pod) || minReadySeconds <= 0) {
      return Optional.empty();
    }
    return readySince(pod)
        .map(t -> Duration.between(now, t.plusSeconds(minReadySeconds)))
        .filter(d -> !d.isNegative() && !d.isZero());
  }

  public static Optional<Instant> readySince(Pod pod) {
    return readyCondition(pod)
        .map(PodCondition::getLastTransitionTime)
        .flatMap(PodReadiness::parse);
  }

  /** A person-readable reason a pod is not Ready, from its container states. */
  public static String notReadyReason(Pod pod) {
    if (isTerminating(pod)) {
      return "terminating";
    }
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      for (var cs : pod.getStatus().getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getWaiting() != null && cs.getState().getWaiting().getReason() != null) {
          return "container " + cs.getName() + " " + cs.getState().getWaiting().getReason();
        }
      }
    }
    String phase = phase(pod);
    if (!isRunning(pod)) {
      return "phase " + (phase.isEmpty() ? "Pending" : phase);
    }
    return "not Ready";
  }

  private static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  private static Optional<Instant> parse(String timestamp) {
    try {
      return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
