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
    Duration progressDeadline) {

  public static final String DEFAULT_LEASE = "ordinal-operator-leader";

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
  }

  /** Watch the given namespaces (or all when none are given), without leader election. */
  public static OperatorConfig local(Set<String> namespaces) {
    return new OperatorConfig(namespaces, false, Optional.empty(), DEFAULT_LEASE, 64, 4, Duration.ofSeconds(30), Duration.ofMinutes(10));
  }

  public OperatorConfig withLeaderElection(String namespace, String lease) {
    return new OperatorConfig(namespaces, true, Optional.ofNullable(namespace), lease, maxParallelWrites, reconcileThreads, cacheSyncTimeout, progressDeadline);
  }

  public OperatorConfig withProgressDeadline(Duration deadline) {
    return new OperatorConfig(namespaces, leaderElection, leaseNamespace, leaseName, maxParallelWrites, reconcileThreads, cacheSyncTimeout, deadline);
  }
}
