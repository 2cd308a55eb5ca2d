package dev.ordinal.naming;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** Owner references the operator sets: controller of its pods, plain owner of claims under a Delete retention policy. */
public final class OwnerRefs {
  private OwnerRefs() {}

  public static OwnerReference controllerOf(String setName, String setUid) {
    return new OwnerReferenceBuilder()
        .withApiVersion(OrdinalSet.API_VERSION).withKind(OrdinalSet.KIND)
        .withName(setName).withUid(setUid)
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }

  /** Claims are owned, never controlled, by the set: the set does not manage them as its own replicas. */
  public static OwnerReference setOwnsClaim(String setName, String setUid) {
    return new OwnerReferenceBuilder()
        .withApiVersion(OrdinalSet.API_VERSION).withKind(OrdinalSet.KIND)
        .withName(setName).withUid(setUid)
        .build();
  }

  /**
   * A StatefulSet's reference on its claims under whenDeleted: Delete, as its own controller writes
   * it since Kubernetes 1.32 (a controller reference, metav1.NewControllerRef): a plain reference
   * would be rewritten by that controller as one without a controller.
   */
  public static OwnerReference statefulSetOwnsClaim(String setName, String setUid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1").withKind("StatefulSet")
        .withName(setName).withUid(setUid)
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }

  public static OwnerReference podOwnsClaim(Pod pod) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("Pod")
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
        .build();
  }

  public static Optional<OwnerReference> controller(List<OwnerReference> refs) {
    return refs == null ? Optional.empty() : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  public static boolean isControlledBy(List<OwnerReference> refs, String uid) {
    return controller(refs).map(r -> uid != null && uid.equals(r.getUid())).orElse(false);
  }
}
