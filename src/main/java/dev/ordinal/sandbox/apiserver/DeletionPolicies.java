package dev.ordinal.sandbox.apiserver;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the propagation policy each deleted object was deleted with (from the DELETE body or query),
 * so that the garbage collector can orphan dependents instead of deleting them.
 */
public final class DeletionPolicies {

  private final Map<String, String> byUid = new ConcurrentHashMap<>();

  public void record(String uid, String propagationPolicy) {
    if (uid != null && propagationPolicy != null) {
      byUid.put(uid, propagationPolicy);
    }
  }

  public Optional<String> policyFor(String uid) {
    return Optional.ofNullable(uid).map(byUid::get);
  }

  public boolean isOrphan(String uid) {
    return policyFor(uid).filter("Orphan"::equals).isPresent();
  }
}
