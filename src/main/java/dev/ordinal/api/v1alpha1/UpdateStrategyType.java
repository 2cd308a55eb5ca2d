package dev.ordinal.api.v1alpha1;

/** How template changes reach existing pods. */
public enum UpdateStrategyType {
  /** The operator replaces out-of-date pods from the highest ordinal down to the partition. */
  RollingUpdate,
  /** Pods are replaced only when the user deletes them. */
  OnDelete
}
