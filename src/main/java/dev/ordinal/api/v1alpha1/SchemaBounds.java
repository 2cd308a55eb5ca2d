package dev.ordinal.api.v1alpha1;

/**
 * Size limits the CRD schema puts on the fields the spec's CEL rules range over. A real API
 * server estimates each rule's cost from the largest value the schema admits and refuses the
 * CRD when the estimate exceeds its budget; without these bounds the selector and claim-template
 * rules exceed it by more than 100x. Where Kubernetes has a limit of its own the bound is that
 * limit; where it has none, the bound is generous for real sets.
 *
 * <p>Used by the schema-only classes that {@link OrdinalSet}'s {@code @SchemaSwap}s put in place
 * of fabric8's {@code LabelSelector} and {@code ObjectMeta} schemas.
 */
public final class SchemaBounds {
  /** A label key: a 63-character name with an optional DNS-subdomain prefix of 253 and a '/'. */
  public static final int LABEL_KEY_MAX_LENGTH = 317;
  /** A label value (Kubernetes: at most 63 characters). */
  public static final int LABEL_VALUE_MAX_LENGTH = 63;
  /** An object name, a DNS subdomain (Kubernetes: at most 253 characters). */
  public static final int OBJECT_NAME_MAX_LENGTH = 253;
  /** Entries in selector.matchLabels (Kubernetes has no limit). */
  public static final int MATCH_LABELS_MAX_PROPERTIES = 64;
  /** Entries in selector.matchExpressions (Kubernetes has no limit). */
  public static final int MATCH_EXPRESSIONS_MAX_ITEMS = 32;
  /** Values of one selector requirement (Kubernetes has no limit). */
  public static final int MATCH_EXPRESSION_VALUES_MAX_ITEMS = 64;

  private SchemaBounds() {}
}
