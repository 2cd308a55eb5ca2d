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
 *     after the leader died without releasing it (the renew deadline is 2/3 of it, the retry period 2 s
 *     for the default, else 1/7 of it)
 * @param progressDeadline how long a pod may stay unready before the set reports itself stuck
 * @param statefulSetStorage whether the storage mode for labelled apps/v1 StatefulSets runs
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
    Duration progressDeadline,
    boolean statefulSetStorage) {

  public static final String DEFAULT_LEASE = "ordinal-operator-leader";
  /**
   * Twice client-go's 15 s: the leader then keeps leading through an API-server outage of up to
   * the 20 s renew deadline (a restart of kube-apiserver takes 5-25 s here, issue 14), at the cost
   * of a standby taking over up to 30 s (not 15 s) after a leader that died without releasing the
   * Lease. A leader that shuts down releases it, so a standby takes over at once.
   */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
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
        DEFAULT_LEASE_DURATION, DEFAULT_PROGRESS_DEADLINE, true);
  }

  public OperatorConfig withLeaderElection(String namespace, String lease) {
    return new OperatorConfig(namespaces, true, Optional.ofNullable(namespace), lease, maxParallelWrites, reconcileThreads,
        cacheSyncTimeout, leaseDuration, progressDeadline, statefulSetStorage);
  }

  public OperatorConfig withLeaseDuration(Duration duration) {
    return new OperatorConfig(namespaces, leaderElection, leaseNamespace, leaseName, maxParallelWrites, reconcileThreads,
        cacheSyncTimeout, duration, progressDeadline, statefulSetStorage);
  }

  public OperatorConfig withProgressDeadline(Duration deadline) {
    return new OperatorConfig(namespaces, leaderElection, leaseNamespace, leaseName, maxParallelWrites, reconcileThreads,
        cacheSyncTimeout, leaseDuration, deadline, statefulSetStorage);
  }

  /** With or without the storage mode for labelled apps/v1 StatefulSets. */
  public OperatorConfig withStatefulSetStorage(boolean enabled) {
    return new OperatorConfig(namespaces, leaderElection, leaseNamespace, leaseName, maxParallelWrites, reconcileThreads,
        cacheSyncTimeout, leaseDuration, progressDeadline, enabled);
  }

  /**
   * How long the leader keeps trying to renew before it gives up leading: 2/3 of the lease
   * duration (client-go's 10 of 15 s), so the leader stops at least a third of a lease before
   * any standby may take the Lease over; a single leader holds even with some clock drift.
   */
  public Duration renewDeadline() {
    return leaseDuration.multipliedBy(2).dividedBy(3);
  }

  /** How often candidates try to acquire and the leader renews: 2 s for the default lease, else 1/7 of it. */
  public Duration retryPeriod() {
    return leaseDuration.equals(DEFAULT_LEASE_DURATION) ? Duration.ofSeconds(2) : leaseDuration.dividedBy(7);
  }
}
