package dev.ordinal.revision;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.Optional;

/**
 * The pod template a ControllerRevision records, so that a pod below the partition is recreated
 * from its own revision, not from the set's current spec. Reads {@code data} whether fabric8
 * deserialised it as a Map, a JsonNode, a model object or a JSON string; the {@code $patch}
 * directive is dropped.
 */
public final class TemplateOfRevision {
  private TemplateOfRevision() {}

  /** Empty when the revision is null or its data holds no readable {@code spec.template}. */
  public static Optional<PodTemplateSpec> of(ControllerRevision revision) {
    return revision == null ? Optional.empty() : RevisionPayload.templateOfData(revision.getData());
  }
}
