package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;

/** Storage sizes as bytes, so "1024Mi" and "1Gi" compare equal. */
public final class Quantities {
  public static final String STORAGE = "storage";

  private Quantities() {}

  /** The bytes of {@code resources.get("storage")}, 0 when absent, null when unreadable. */
  public static BigDecimal storageBytes(Map<String, Quantity> resources) {
    Quantity quantity = resources == null ? null : resources.get(STORAGE);
    if (quantity == null) {
      return BigDecimal.ZERO;
    }
    try {
      return Quantity.getAmountInBytes(quantity);
    } catch (RuntimeException unreadable) {
      // fabric8 throws ArithmeticException or NumberFormatException for malformed amounts.
      return null;
    }
  }

  /** The size as the user wrote it ("500Mi"), for messages. */
  public static String display(Map<String, Quantity> resources) {
    Quantity quantity = resources == null ? null : resources.get(STORAGE);
    if (quantity == null) {
      return "0";
    }
    String format = quantity.getFormat() == null ? "" : quantity.getFormat();
    return quantity.getAmount() + format;
  }
}
