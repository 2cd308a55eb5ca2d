package dev.ordinal.revision;

import dev.ordinal.naming.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Ordering and trimming of a set's ControllerRevisions (upstream {@code truncateHistory}). */
public final class RevisionHistory {
  /**
   * Oldest first: by {@code revision} number, then creation timestamp, then name (upstream {@code
   * history.SortControllerRevisions}). Timestamps are RFC 3339 strings, which sort as text.
   */
  public static final Comparator<ControllerRevision> OLDEST_FIRST =
      Comparator.comparingLong(RevisionHistory::number)
          .thenComparing(r -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(RevisionHistory::name);

  private RevisionHistory() {}

  /**
   * The revisions to delete, oldest first: all but the newest {@code revisionHistoryLimit} of those
   * that are neither the current nor the update revision nor used by any of {@code pods} (by their
   * {@code controller-revision-hash} label). A revision a pod uses is never returned, whatever the
   * limit; pods being deleted still count, since they may be recreated from it.
   */
  public static List<ControllerRevision> toTrim(
      Collection<ControllerRevision> revisions,
      Collection<Pod> pods,
      String currentRevisionName,
      String updateRevisionName,
      int revisionHistoryLimit) {
    Set<String> live = liveNames(pods);
    live.add(currentRevisionName);
    live.add(updateRevisionName);
    List<ControllerRevision> history =
        revisions.stream().filter(r -> !live.contains(name(r))).sorted(OLDEST_FIRST).toList();
    int excess = history.size() - Math.max(0, revisionHistoryLimit);
    return excess <= 0 ? List.of() : history.subList(0, excess);
  }

  /** Revision names that pods carry in their {@code controller-revision-hash} label. */
  public static Set<String> liveNames(Collection<Pod> pods) {
    Set<String> live = new HashSet<>();
    for (Pod pod : pods) {
      Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
      String revision = labels == null ? null : labels.get(Labels.REVISION_HASH);
      if (revision != null) {
        live.add(revision);
      }
    }
    return live;
  }

  static long number(ControllerRevision revision) {
    return revision.getRevision() == null ? 0L : revision.getRevision();
  }

  static String name(ControllerRevision revision) {
    return revision.getMetadata().getName();
  }
}
