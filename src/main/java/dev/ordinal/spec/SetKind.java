package dev.ordinal.spec;

/** Which API object a set comes from: it names the object in Events, logs and owner references. */
public enum SetKind {
  /** Our own custom resource: the operator keeps pods and storage. */
  ORDINAL_SET("ordinal.dev/v1alpha1", "OrdinalSet"),
  /** An apps/v1 StatefulSet in storage mode: the cluster's StatefulSet controller keeps the pods, we keep the storage. */
  STATEFUL_SET("apps/v1", "StatefulSet");

  private final String apiVersion;
  private final String kind;

  SetKind(String apiVersion, String kind) {
    this.apiVersion = apiVersion;
    this.kind = kind;
  }

  public String apiVersion() {
    return apiVersion;
  }

  public String kind() {
    return kind;
  }
}
