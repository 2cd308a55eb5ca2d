package dev.ordinal.revision;

import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.Objects;

/**
 * One ControllerRevision write the revision core asks for. Each carries the whole object, so the
 * executor needs no lookup: create it, update it (its {@code resourceVersion} is the observed one,
 * so a stale cache loses with 409 instead of overwriting), or delete it. Perform them in list
 * order; on 409/404/AlreadyExists stop and let the next reconcile resolve again from fresh
 * observations (every write is derived from observed revisions, so a retry is idempotent).
 */
public sealed interface RevisionWrite {

  /** The object to write; for {@link Delete}, the observed object. */
  ControllerRevision revision();

  default String name() {
    return revision().getMetadata().getName();
  }

  /**
   * Create a new revision (upstream {@code CreateControllerRevision}). AlreadyExists means the
   * cache had not seen the revision yet, or someone else holds the name: do not treat it as the
   * update revision; the next reconcile sees the object and re-hashes if its payload differs.
   */
  record Create(ControllerRevision revision) implements RevisionWrite {
    public Create {
      Objects.requireNonNull(revision, "revision");
    }
  }

  /**
   * Replace an existing revision with {@code revision}: its {@code revision} number is bumped to
   * make it the newest (upstream {@code UpdateControllerRevision}, when the template is reverted to
   * an earlier one), and/or a controller reference to the set is added (an orphan adopted, as
   * upstream {@code ClaimControllerRevisions}).
   *
   * <p>{@code data} is immutable in the API and compared byte for byte, so prefer a JSON merge
   * patch of just {@code revision} and {@code metadata.ownerReferences} (guarded by the observed
   * {@code resourceVersion}) over a full update that re-serialises {@code data}. The CRUD mock
   * enforces neither rule.
   *
   * @param previousNumber the {@code revision} number observed before this write
   * @param adopted whether this write adds the set's controller reference
   */
  record Update(ControllerRevision revision, long previousNumber, boolean adopted) implements RevisionWrite {
    public Update {
      Objects.requireNonNull(revision, "revision");
    }

    public boolean renumbered() {
      return revision.getRevision() != null && revision.getRevision() != previousNumber;
    }
  }

  /** Delete a revision trimmed by {@code revisionHistoryLimit} (upstream {@code truncateHistory}). */
  record Delete(ControllerRevision revision) implements RevisionWrite {
    public Delete {
      Objects.requireNonNull(revision, "revision");
    }
  }
}
