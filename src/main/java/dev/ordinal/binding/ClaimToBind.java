package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Objects;

/**
 * A claim to decide a volume for: an existing claim (it has {@code metadata.uid}) or one about to
 * be created (uid null).
 *
 * @param claim the claim, its storage class already resolved by the caller ("" or null = no class)
 * @param nodeName the node of the consuming pod, null while it has none; only consulted for
 *     classes with {@code volumeBindingMode: WaitForFirstConsumer}
 */
public record ClaimToBind(
    PersistentVolumeClaim claim, String nodeName) {
  public ClaimToBind {
    Objects.requireNonNull(claim, "claim");
  }

  public static ClaimToBind of(PersistentVolumeClaim claim) {
    return new ClaimToBind(claim, null);
  }
}
