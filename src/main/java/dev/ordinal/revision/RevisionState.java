package dev.ordinal.revision;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.List;
import java.util.Objects;

/**
 * The revisions of a set for one reconcile (upstream {@code getStatefulSetRevisions} plus {@code
 * truncateHistory}), as the objects will be once {@link #writes} are done.
 *
 * @param updateRevision the revision of the set's current template: ordinals at or above the
 *     partition run it; its name is the pods' {@code controller-revision-hash} label value
 * @param currentRevision the revision ordinals below the partition keep and are recreated with;
 *     the same object as {@code updateRevision} when no rollout is in progress
 * @param currentTemplate the template recorded in {@code currentRevision}
 * @param collisionCount the collision count to report in status (never lower than the input)
 * @param writes ControllerRevision writes to perform, in order
 */
public record RevisionState(
    ControllerRevision updateRevision,
    ControllerRevision currentRevision,
    PodTemplateSpec currentTemplate,
    int collisionCount,
    List<RevisionWrite> writes) {

  public RevisionState {
    Objects.requireNonNull(updateRevision, "updateRevision");
    Objects.requireNonNull(currentRevision, "currentRevision");
    Objects.requireNonNull(currentTemplate, "currentTemplate");
    writes = List.copyOf(writes);
  }

  public String updateRevisionName() {
    return updateRevision.getMetadata().getName();
  }

  public String currentRevisionName() {
    return currentRevision.getMetadata().getName();
  }

  /** Whether some pods may still be on a revision other than the update revision. */
  public boolean rollingOut() {
    return !currentRevisionName().equals(updateRevisionName());
  }
}
