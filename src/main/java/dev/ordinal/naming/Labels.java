package dev.ordinal.naming;

/** Label and annotation keys the operator reads and writes. */
public final class Labels {
  /** On pods and claims: the name of the owning set. */
  public static final String SET_NAME = "ordinal.dev/set-name";
  /** On pods and claims: the ordinal, as a decimal string. */
  public static final String POD_INDEX = "ordinal.dev/pod-index";
  /** On pods: the pod's own name, for per-pod Services. */
  public static final String POD_NAME = "ordinal.dev/pod-name";
  /** On pods: the ControllerRevision the pod was created from (same key as StatefulSet). */
  public static final String REVISION_HASH = "controller-revision-hash";

  /** Claim and volume annotations shared with the cluster's PV controller. */
  public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  public static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";

  private Labels() {}
}
