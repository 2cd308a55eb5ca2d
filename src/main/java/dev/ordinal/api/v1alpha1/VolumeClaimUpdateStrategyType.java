package dev.ordinal.api.v1alpha1;

/** Whether a larger storage request in a claim template expands existing claims. */
public enum VolumeClaimUpdateStrategyType {
  InPlace,
  Never
}
