package dev.ordinal.api.v1alpha1;

/** What happens to claims when their pods go away. */
public enum RetentionPolicyType {
  Retain,
  Delete
}
