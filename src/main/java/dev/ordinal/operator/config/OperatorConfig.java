package dev.ordinal.operator.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the operator runs.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param leaderElection whether to hold a Lease before reconciling (off for the sandbox and tests)
 * @param leaseNamespace namespace of the Lease (the pod's own namespace in a cluster)
 * @param leaseName name of the Lease
 * @param maxParallelWrites most concurrent writes for one Parallel set (slow-start batches up to this)
 * @param reconcileThreads sets reconciled at once
 * @param cacheSyncTimeout how long to wait for informers to fill at start
 * @param leaseDuration how long a Lease holds without renewal; a standby takes over at most this long
 *     after the leader died without releasing it (the renew deadline is 2/3 of it, the retry period 1/7)
 * @param progressDeadline how long a pod may stay unready before the set reports itself stuck
 */
public record OperatorConfig(
    Set<String> namespaces,
    boolean leaderElection,
    Optional<String> leaseNamespace,
    String leaseName,
    int maxParallelWrites,
    int reconcileThreads,
    Duration cacheSyncTimeout,
    Duration leaseDuration,
    Duration progressDeadline) {

  public static final String DEFAULT_LEASE = "ordinal-operator-leader";
  /** JOSDK's and client-go's default. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
  /** As Deployment's default progressDeadlineSeconds. */
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    if (leaseDuration.isNegative() || leaseDuration.compareTo(Duration.ofMillis(700)) < 0) {
      throw new IllegalArgumentException("lease duration must be at least 700ms, not " + leaseDuration);
    }
  }

  /** Watch the given namespaces (or all when none are given), without leader election. */
  public static OperatorConfig local(Set<String> namespaces) {
    return new OperatorConfig(namespaces, false, Optional.empty(), DEFAULT_LEASE, 64, 4, Duration.ofSeconds(30),
        DEFAULT_LEASE_DURATION, DEFAULT_PROGRESS_DEADLINE);
  }

  public OperatorConfig withLeaderElection(String namespace, String lease) {
    return new OperatorConfig(namespaces, true, Optional.ofNullable(namespace), lease, maxParallelWrites, reconcileThreads,
        cacheSyncTimeout, leaseDuration, progressDeadline);
  }

  public OperatorConfig withLeaseDuration(Duration duration) {
    return new OperatorConfig(namespaces, leaderElection, leaseNamespace, leaseName, maxParallelWrites, reconcileThreads,
        cacheSyncTimeout, duration, progressDeadline);
  }

  public OperatorConfig withProgressDeadline(Duration deadline) {
    return new OperatorConfig(namespaces, leaderElection, leaseNamespace, leaseName, maxParallelWrites, reconcileThreads,
        cacheSyncTimeout, leaseDuration, deadline);
  }

  /** How long the leader keeps trying to renew before it gives up leading. */
  public Duration renewDeadline() {
    return leaseDuration.equals(DEFAULT_LEASE_DURATION) ? Duration.ofSeconds(10) : leaseDuration.multipliedBy(2).dividedBy(3);
  }

  /** How often candidates try to acquire and the leader renews. */
  public Duration retryPeriod() {
    return leaseDuration.equals(DEFAULT_LEASE_DURATION) ? Duration.ofSeconds(2) : leaseDuration.dividedBy(7);
  }
}
