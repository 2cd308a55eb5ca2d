package dev.ordinal.api.v1alpha1;

/** How pods are created and deleted relative to each other. */
public enum PodManagementPolicy {
  /** Pod i is created only when every lower ordinal is Running, Ready and available. */
  OrderedReady,
  /** Pods are created and deleted without waiting for each other. */
  Parallel
}
