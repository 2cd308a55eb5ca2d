package dev.ordinal.revision;

import dev.ordinal.binding.SelectorMatcher;
import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The current and update revisions of a set and the ControllerRevision writes that make them
 * exist, as upstream {@code getStatefulSetRevisions} and {@code truncateHistory}. Pure: it reads
 * the observed revisions and pods and returns data; the executor performs the writes.
 */
public final class Revisions {
  /** Upper bound on re-hashing; reaching it means the hash is broken, not that names ran out. */
  private static final int MAX_PROBES = 1_000;

  private final RevisionHash hash;

  public Revisions(RevisionHash hash) {
    this.hash = Objects.requireNonNull(hash, "hash");
  }

  /**
   * Resolves the set's revisions.
   *
   * <ul>
   *   <li><b>Update revision</b>: an existing revision whose payload equals the set's template
   *       (compared by content, not by name). If it is the newest, nothing is written; if it is
   *       older (the template was reverted), its {@code revision} number is bumped to max + 1.
   *       Otherwise a new revision {@code <set>-<hash>} with number max + 1 is created; when that
   *       name is held by a revision with another payload, the collision count is incremented and
   *       the name re-hashed (upstream {@code CreateControllerRevision}).
   *   <li><b>Current revision</b>: the one named {@code statusCurrentRevision} if it still exists
   *       and its template is readable, else the update revision (a new set starts with current =
   *       update).
   *   <li><b>History</b>: revisions beyond {@code revisionHistoryLimit} are deleted, oldest first,
   *       never the current or update revision nor one a pod's {@code controller-revision-hash}
   *       label names.
   * </ul>
   *
   * @param owned the set's ControllerRevisions as observed (for instance by the {@code
   *     ordinal.dev/set-name} label). Those controlled by the set are its history; orphans that
   *     carry the set's labels are adopted; any others (controlled by another owner) are never
   *     written and only keep their names from being reused.
   * @param pods the set's pods, including ones being deleted
   * @param collisionCount {@code status.collisionCount} (0 when unset)
   * @param statusCurrentRevision {@code status.currentRevision}, or null
   */
  public RevisionState resolve(
      SetDefinition set,
      List<ControllerRevision> owned,
      List<Pod> pods,
      int collisionCount,
      String statusCurrentRevision) {
    Objects.requireNonNull(set, "set");
    List<RevisionWrite> writes = new ArrayList<>();
    // name -> revision as it will be after the writes; adopted orphans join the history
    Map<String, ControllerRevision> history = new LinkedHashMap<>();
    Map<String, ControllerRevision> foreign = new TreeMap<>();
    Map<String, ControllerRevision> observed = new TreeMap<>();
    for (ControllerRevision revision : owned) {
      String name = RevisionHistory.name(revision);
      observed.put(name, revision);
      List<OwnerReference> refs = revision.getMetadata().getOwnerReferences();
      if (OwnerRefs.isControlledBy(refs, set.uid())) {
        history.put(name, revision);
      } else if (OwnerRefs.controller(refs).isEmpty() && carriesSetLabels(set, revision)) {
        ControllerRevision adopted = adopt(set, revision);
        writes.add(new RevisionWrite.Update(adopted, RevisionHistory.number(revision), true));
        history.put(name, adopted);
      } else {
        foreign.put(name, revision);
      }
    }

    RevisionPayload desired = RevisionPayload.of(set.template());
    List<ControllerRevision> sorted = history.values().stream().sorted(RevisionHistory.OLDEST_FIRST).toList();
    long next = sorted.isEmpty() ? 1 : RevisionHistory.number(sorted.getLast()) + 1;
    List<ControllerRevision> equal =
        sorted.stream().filter(r -> RevisionPayload.of(r).filter(desired::equals).isPresent()).toList();

    ControllerRevision update;
    int collisions = Math.max(0, collisionCount);
    if (!equal.isEmpty() && equal.getLast() == sorted.getLast()) {
      update = equal.getLast();
    } else if (!equal.isEmpty()) {
      ControllerRevision reverted = equal.getLast();
      update = new ControllerRevisionBuilder(reverted).withRevision(next).build();
      replaceOrAdd(writes, reverted, update);
      history.put(RevisionHistory.name(update), update);
    } else {
      String name = hash.revisionName(set.name(), set.template(), collisions);
      for (int probes = 0; history.containsKey(name) || foreign.containsKey(name); probes++) {
        if (probes >= MAX_PROBES) {
          throw new IllegalStateException("no free revision name for set " + set.name() + " after " + probes + " probes");
        }
        collisions++;
        name = hash.revisionName(set.name(), set.template(), collisions);
      }
      update = newRevision(set, name, desired, next);
      writes.add(new RevisionWrite.Create(update));
      history.put(name, update);
    }

    ControllerRevision current = update;
    PodTemplateSpec currentTemplate = set.template();
    ControllerRevision recorded = statusCurrentRevision == null ? null : history.get(statusCurrentRevision);
    if (recorded != null && recorded != update) {
      Optional<PodTemplateSpec> template = TemplateOfRevision.of(recorded);
      if (template.isPresent()) {
        current = recorded;
        currentTemplate = template.get();
      }
    }

    for (ControllerRevision trimmed :
        RevisionHistory.toTrim(
            history.values(), pods, RevisionHistory.name(current), RevisionHistory.name(update),
            set.revisionHistoryLimit())) {
      // an orphan about to be trimmed is deleted as observed, not adopted first
      String name = RevisionHistory.name(trimmed);
      writes.removeIf(w -> w instanceof RevisionWrite.Update u && u.name().equals(name));
      writes.add(new RevisionWrite.Delete(observed.get(name)));
    }
    return new RevisionState(update, current, currentTemplate, collisions, writes);
  }

  /**
   * A new ControllerRevision for the set (upstream {@code newRevision}): labelled with the set's
   * selector labels and {@code ordinal.dev/set-name}, controlled by the set.
   */
  public static ControllerRevision newRevision(
      SetDefinition set, String name, RevisionPayload payload, long revisionNumber) {
    return new ControllerRevisionBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withNamespace(set.namespace())
                .withName(name)
                .withLabels(revisionLabels(set))
                .withOwnerReferences(OwnerRefs.controllerOf(set.name(), set.uid()))
                .build())
        .withData(payload.asData())
        .withRevision(revisionNumber)
        .build();
  }

  /** Labels of the set's revisions: the selector's matchLabels plus {@code ordinal.dev/set-name}. */
  public static Map<String, String> revisionLabels(SetDefinition set) {
    Map<String, String> labels = new TreeMap<>();
    if (set.selector() != null && set.selector().getMatchLabels() != null) {
      labels.putAll(set.selector().getMatchLabels());
    }
    labels.put(Labels.SET_NAME, set.name());
    return labels;
  }

  private static boolean carriesSetLabels(SetDefinition set, ControllerRevision revision) {
    Map<String, String> labels = revision.getMetadata().getLabels();
    return labels != null
        && set.name().equals(labels.get(Labels.SET_NAME))
        && SelectorMatcher.matches(set.selector(), labels);
  }

  private static ControllerRevision adopt(SetDefinition set, ControllerRevision orphan) {
    List<OwnerReference> refs = new ArrayList<>();
    if (orphan.getMetadata().getOwnerReferences() != null) {
      refs.addAll(orphan.getMetadata().getOwnerReferences());
    }
    refs.add(OwnerRefs.controllerOf(set.name(), set.uid()));
    return new ControllerRevisionBuilder(orphan).editMetadata().withOwnerReferences(refs).endMetadata().build();
  }

  /** One update per object: a renumber of an adopted orphan folds into its adoption write. */
  private static void replaceOrAdd(List<RevisionWrite> writes, ControllerRevision before, ControllerRevision after) {
    String name = RevisionHistory.name(before);
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i) instanceof RevisionWrite.Update u && u.name().equals(name)) {
        writes.set(i, new RevisionWrite.Update(after, u.previousNumber(), u.adopted()));
        return;
      }
    }
    writes.add(new RevisionWrite.Update(after, RevisionHistory.number(before), false));
  }
}
