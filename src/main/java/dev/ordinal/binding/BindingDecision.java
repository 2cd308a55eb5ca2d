package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.util.List;

/** What to do about one claim. {@link ClaimBinder#decide} returns one per claim, in order. */
public sealed interface BindingDecision {
  String claimName();

  /**
   * Nothing to do: the claim is Bound. Also returned for a claim that someone else (the cluster's
   * PV controller, an admin) bound, because a Bound claim is never rebound. {@code volumeName} is
   * the claim's {@code spec.volumeName}, null if a Bound claim oddly names none.
   */
  record AlreadyBound(String claimName, String volumeName) implements BindingDecision {}

  /**
   * Take this volume: the caller reserves it (sets its {@code claimRef} with an optimistic write),
   * then points the claim at it, then marks both Bound. {@code volume} is the observed object, so
   * its resourceVersion guards the reservation against a concurrent binder.
   */
  record Reserve(String claimName, PersistentVolume volume) implements BindingDecision {}

  /**
   * A bind that was started but not finished (the claim names the volume and the volume's
   * claimRef names the claim, but a uid or a Bound phase is still missing): finish it.
   */
  record CompleteBind(String claimName, PersistentVolume volume) implements BindingDecision {}

  /** The class binds on first consumer and the consuming pod has no node yet. */
  record AwaitConsumer(String claimName) implements BindingDecision {}

  /** No static volume fits and the class has a real provisioner: dynamic provisioning will. */
  record AwaitProvisioning(String claimName, String provisioner) implements BindingDecision {}

  /**
   * Nothing fits: the claim stays Pending. {@code message} is meant for a person (condition,
   * Event); {@code closest} lists up to three nearest volumes and what each lacks.
   */
  record Unbindable(String claimName, String message, List<VolumeMismatch> closest)
      implements BindingDecision {
    public Unbindable {
      closest = List.copyOf(closest);
    }
  }
}
