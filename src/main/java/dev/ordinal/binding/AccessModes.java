package dev.ordinal.binding;

import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Access-mode sets as 4-bit masks, so the index can key buckets by the set and enumerate the at
 * most 16 supersets of a claim's modes.
 */
final class AccessModes {
  /** Kubernetes' access modes, in the order the bits are assigned. */
  static final List<String> KNOWN =
      List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

  /**
   * Set on a claim that asks for a mode this code does not know: no volume bucket carries it, so
   * such a claim fits nothing instead of silently ignoring what it asked for.
   */
  static final int UNKNOWN = 1 << KNOWN.size();

  static final int ALL_KNOWN = UNKNOWN - 1;

  private AccessModes() {}

  static int mask(Collection<String> modes) {
    int mask = 0;
    if (modes == null) {
      return mask;
    }
    for (String mode : modes) {
      int bit = KNOWN.indexOf(mode);
      mask |= bit < 0 ? UNKNOWN : 1 << bit;
    }
    return mask;
  }

  /** A volume's mask: modes this code does not know cannot be asked for, so they are dropped. */
  static int offeredMask(Collection<String> modes) {
    return mask(modes) & ALL_KNOWN;
  }

  static boolean covers(int offered, int wanted) {
    return (offered & wanted) == wanted;
  }

  static List<String> names(int mask) {
    return IntStream.range(0, KNOWN.size())
        .filter(bit -> (mask & (1 << bit)) != 0)
        .mapToObj(KNOWN::get)
        .toList();
  }
}
