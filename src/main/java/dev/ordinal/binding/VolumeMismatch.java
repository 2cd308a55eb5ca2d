package dev.ordinal.binding;

import java.util.List;

/**
 * Why one PersistentVolume does not fit a claim, one short phrase per failing rule, e.g. {@code
 * "capacity 1Gi < 5Gi"} or {@code "claimed by default/other-claim"}.
 */
public record VolumeMismatch(String volumeName, List<String> lacks) {
  public VolumeMismatch {
    lacks = List.copyOf(lacks);
  }
}
