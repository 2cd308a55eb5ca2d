package dev.ordinal.naming;

import java.util.OptionalInt;

/** The identity rules of a set: every derived name comes from here (upstream getPodName, getPersistentVolumeClaimName). */
public final class OrdinalNames {
  private OrdinalNames() {}

  public static String podName(String setName, int ordinal) {
    return setName + "-" + ordinal;
  }

  public static String claimName(String templateName, String setName, int ordinal) {
    return templateName + "-" + setName + "-" + ordinal;
  }

  /**
   * The ordinal of a claim named {@code <template>-<set>-<ordinal>} for one of the templates, if the
   * name has exactly that form (claims made by a StatefulSet's controller carry no label naming it).
   */
  public static OptionalInt ordinalOfClaim(java.util.Collection<String> templateNames, String setName, String claimName) {
    for (String template : templateNames) {
      OptionalInt ordinal = ordinalOf(template + "-" + setName, claimName);
      if (ordinal.isPresent()) {
        return ordinal;
      }
    }
    return OptionalInt.empty();
  }

  /** The ordinal of a pod named {@code <set>-<ordinal>}, if the name has exactly that form. */
  public static OptionalInt ordinalOf(String setName, String podName) {
    String prefix = setName + "-";
    if (podName == null || !podName.startsWith(prefix) || podName.length() == prefix.length()) {
      return OptionalInt.empty();
    }
    String digits = podName.substring(prefix.length());
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      return OptionalInt.empty();
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') { // ASCII only: Character.isDigit accepts any Unicode digit
        return OptionalInt.empty();
      }
    }
    try {
      return OptionalInt.of(Integer.parseInt(digits));
    } catch (NumberFormatException tooLarge) {
      return OptionalInt.empty();
    }
  }
}
