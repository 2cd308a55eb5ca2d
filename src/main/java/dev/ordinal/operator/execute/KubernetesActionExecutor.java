package dev.ordinal.operator.execute;

import dev.ordinal.binding.BindWrites;
import dev.ordinal.operator.report.OperatorMetrics;
import dev.ordinal.planning.Action;
import dev.ordinal.planning.EventNote;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.operator.report.EventRecorder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin imperative shell: each action becomes one or a few API writes. No server-side apply:
 * creates, updates carrying the observed resourceVersion (optimistic concurrency) and JSON merge
 * patches. "Already exists" on create and "not found" on delete count as done; a conflict stops
 * the ordinal's remaining actions and the next reconcile recomputes from fresh observations.
 *
 * <p>OrderedReady sets run their actions one by one. Parallel sets run ordinals concurrently in
 * slow-start batches (1, 2, 4, ... up to a limit; a failing batch stops the rest), as upstream's
 * slowStartBatch, so a broken API does not receive a thousand doomed requests.
 */
public final class KubernetesActionExecutor implements ActionExecutor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesActionExecutor.class);
  private final KubernetesClient client;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final SlowStart slowStart;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

  public KubernetesActionExecutor(KubernetesClient client, EventRecorder events, OperatorMetrics metrics, int maxParallel) {
    this.client = client;
    this.events = events;
    this.metrics = metrics;
    this.slowStart = new SlowStart(maxParallel);
  }

  @Override
  public ExecutionResult execute(SetDefinition set, List<Action> actions) {
    if (actions.isEmpty()) {
      return new ExecutionResult(List.of(), List.of());
    }
    // A StatefulSet in storage mode has only claim and volume writes, independent across ordinals:
    // they go in parallel batches whatever its podManagementPolicy, to be ahead of its controller.
    boolean parallel = set.isParallel() || set.kind() == dev.ordinal.spec.SetKind.STATEFUL_SET;
    List<List<Action>> groups = parallel ? groupByOrdinal(actions) : List.of(actions);
    List<Action> done = Collections.synchronizedList(new ArrayList<>());
    List<Action> notDone = Collections.synchronizedList(new ArrayList<>());
    Successes successes = new Successes();
    String key = set.kind() + "/" + set.namespace() + "/" + set.name();
    int index = 0;
    int batch = parallel ? slowStart.first(key) : 1;
    int reached = batch;
    boolean failed = false;
    while (index < groups.size()) {
      List<List<Action>> slice = groups.subList(index, Math.min(groups.size(), index + batch));
      index += slice.size();
      if (failed) {
        slice.forEach(notDone::addAll);
        continue;
      }
      failed = !runBatch(set, slice, done, notDone, successes);
      if (failed) {
        metrics.batchAborted(set.namespace(), set.name());
      }
      reached = batch;
      batch = slowStart.next(batch);
    }
    if (parallel) {
      slowStart.finished(key, reached, failed);
    }
    successes.report(set);
    return new ExecutionResult(done, notDone);
  }

  private boolean runBatch(SetDefinition set, List<List<Action>> slice, List<Action> done, List<Action> notDone, Successes successes) {
    if (slice.size() == 1) {
      return runGroup(set, slice.get(0), done, notDone, successes);
    }
    List<Future<Boolean>> futures = slice.stream().map(g -> pool.submit(() -> runGroup(set, g, done, notDone, successes))).toList();
    boolean ok = true;
    for (Future<Boolean> f : futures) {
      try {
        ok &= f.get();
      } catch (Exception e) {
        ok = false;
      }
    }
    return ok;
  }

  /** Runs a group in order; after the first failure of an ordinal, that ordinal's later actions are skipped. */
  private boolean runGroup(SetDefinition set, List<Action> group, List<Action> done, List<Action> notDone, Successes successes) {
    java.util.Set<Integer> failedOrdinals = new java.util.HashSet<>();
    boolean ok = true;
    for (Action action : group) {
      if (failedOrdinals.contains(action.ordinal())) {
        notDone.add(action);
        continue;
      }
      try {
        run(set, action, successes);
        done.add(action);
        metrics.actionDone(action);
      } catch (KubernetesClientException e) {
        failedOrdinals.add(action.ordinal());
        notDone.add(action);
        metrics.actionFailed(action);
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
          // Someone else changed this ordinal's object: only this ordinal waits for fresh state;
          // the batch and the other ordinals go on (the API is healthy).
          log.info("set {}/{}: {} lost a race (conflict), will retry from fresh state", set.namespace(), set.name(), action.describe());
        } else {
          ok = false;
          log.warn("set {}/{}: {} failed: {}", set.namespace(), set.name(), action.describe(), e.getMessage());
          setEvent(set, EventNote.Type.Warning, failedReason(action), action.describe() + " failed: " + e.getMessage());
        }
      }
    }
    return ok;
  }

  private void run(SetDefinition set, Action action, Successes successes) {
    switch (action) {
      case Action.CreateClaim a -> createClaim(set, a, successes);
      case Action.BindClaim a -> bindClaim(set, a);
      case Action.CompleteBind a -> completeBind(set, a.claim(), a.volume());
      case Action.WriteRevision a -> writeRevision(set, a);
      case Action.CreatePod a -> createPod(set, a, successes);
      case Action.DeletePod a -> deletePod(set, a, successes);
      case Action.SetClaimOwners a -> setClaimOwners(set, a);
      case Action.ResizeClaim a -> resizeClaim(set, a);
      case Action.WriteVolume a -> writeVolume(set, a);
    }
  }

  private void createClaim(SetDefinition set, Action.CreateClaim a, Successes successes) {
    String name = a.claim().getMetadata().getName();
    PersistentVolume reserved = null;
    if (a.reserve().isPresent()) {
      PersistentVolume reserve = a.reserve().get();
      String volumeName = reserve.getMetadata().getName();
      reserved = ClusterDidIt.writeOrAdopt(() -> client.persistentVolumes().resource(reserve).update(),
          () -> client.persistentVolumes().withName(volumeName).get(),
          pv -> pv.getSpec().getClaimRef() != null && name.equals(pv.getSpec().getClaimRef().getName())
              && set.namespace().equals(pv.getSpec().getClaimRef().getNamespace()),
          "volume " + volumeName + " reservation",
          // Still free (the binder only moved its phase, say): reserve it on the fresh object.
          fresh -> fresh.getSpec().getClaimRef() == null && !isDeleting(fresh)
              && (fresh.getStatus() == null || fresh.getStatus().getPhase() == null || "Available".equals(fresh.getStatus().getPhase()))
              ? () -> client.persistentVolumes().resource(BindWrites.reserved(fresh, set.namespace(), name, null)).update()
              : null);
      log.info("set {}/{}: reserved volume {} for claim {}", set.namespace(), set.name(), reserved.getMetadata().getName(), name);
    }
    PersistentVolumeClaim[] created = new PersistentVolumeClaim[1];
    if (createIgnoringExisting(() -> created[0] = client.persistentVolumeClaims().inNamespace(set.namespace()).resource(a.claim()).create())) {
      log.info("set {}/{}: created claim {}{}", set.namespace(), set.name(), name,
          a.reserve().map(v -> " on volume " + v.getMetadata().getName()).orElse(""));
      successes.add(Successes.Kind.CREATE_CLAIM, a.ordinal(), name);
      if (reserved != null && created[0] != null && created[0].getMetadata().getUid() != null) {
        // The claim exists and names the reserved volume: finish the bind now, from the objects the
        // API server just returned, rather than in the next reconcile once the caches have caught
        // up. Same writes, same order; the ordinal's pod then starts on a Bound claim, and a large
        // Parallel set binds and starts progressively instead of after every claim is created.
        // Should this fail, the claim is still created and reserved: the next reconcile plans a
        // CompleteBind from observed state, and this ordinal's pod is created meanwhile as before.
        try {
          completeBind(set, created[0], reserved);
        } catch (KubernetesClientException e) {
          log.info("set {}/{}: completing the bind of claim {} failed ({}), the next reconcile retries",
              set.namespace(), set.name(), name, e.getMessage());
        }
      }
    }
  }

  /** Reserve first (claimRef with the claim's uid), then finish as the PV controller would. */
  private void bindClaim(SetDefinition set, Action.BindClaim a) {
    String volumeName = a.volume().getMetadata().getName();
    String claimName = a.claim().getMetadata().getName();
    String claimUid = a.claim().getMetadata().getUid();
    // Our cache may not show our own reservation yet (a large set outruns the volume informer),
    // or the binder may have finished it: a fresh volume reserved for this claim is where we go on.
    PersistentVolume reserved = ClusterDidIt.writeOrAdopt(() -> client.persistentVolumes().resource(a.volume()).update(),
        () -> client.persistentVolumes().withName(volumeName).get(),
        pv -> pv.getSpec().getClaimRef() != null && claimName.equals(pv.getSpec().getClaimRef().getName())
            && set.namespace().equals(pv.getSpec().getClaimRef().getNamespace())
            && (pv.getSpec().getClaimRef().getUid() == null || pv.getSpec().getClaimRef().getUid().isEmpty()
                || pv.getSpec().getClaimRef().getUid().equals(claimUid)),
        "volume " + volumeName + " reservation");
    log.info("set {}/{}: reserved volume {} for claim {}", set.namespace(), set.name(), reserved.getMetadata().getName(), a.claim().getMetadata().getName());
    completeBind(set, a.claim(), reserved);
  }

  /**
   * The PV controller's own order (bind()): the volume's claimRef with the claim's uid, the
   * volume's phase, then the claim's bind-completed mark, then its status. Any other order opens
   * a window in which the cluster's controller sees a bound claim whose volume names no uid and
   * declares the claim Lost.
   */
  private void completeBind(SetDefinition set, PersistentVolumeClaim claim, PersistentVolume volume) {
    String volumeName = volume.getMetadata().getName();
    String claimName = claim.getMetadata().getName();
    String claimUid = claim.getMetadata().getUid();
    var volumes = client.persistentVolumes();
    var claims = client.persistentVolumeClaims().inNamespace(set.namespace());
    // The cluster's PV binder completes a pre-bound pair too, and often first: each step that it
    // already did (seen in a fresh read after our 409) counts as done, and we go on from there.
    PersistentVolume written = volume;
    if (!java.util.Objects.equals(BindWrites.bound(volume, claim).getSpec().getClaimRef(), volume.getSpec().getClaimRef())) {
      written = ClusterDidIt.writeOrAdopt(() -> volumes.resource(BindWrites.bound(volume, claim)).update(),
          () -> volumes.withName(volumeName).get(), pv -> BindWrites.isBoundTo(pv, claimUid), "volume " + volumeName + " claimRef",
          // still reserved for this claim, without its uid: the binder only moved the phase
          fresh -> isReservedFor(fresh, set.namespace(), claimName) ? () -> volumes.resource(BindWrites.bound(fresh, claim)).update() : null);
    }
    if (written.getStatus() == null || !"Bound".equals(written.getStatus().getPhase())) {
      PersistentVolume bound = BindWrites.bound(written, claim);
      written = ClusterDidIt.writeOrAdopt(() -> volumes.resource(bound).updateStatus(),
          () -> volumes.withName(volumeName).get(),
          pv -> BindWrites.isBoundTo(pv, claimUid) && pv.getStatus() != null && "Bound".equals(pv.getStatus().getPhase()),
          "volume " + volumeName + " phase",
          fresh -> BindWrites.isBoundTo(fresh, claimUid) ? () -> volumes.resource(BindWrites.bound(fresh, claim)).updateStatus() : null);
    }
    PersistentVolumeClaim pointed = claim;
    if (!"yes".equals(annotation(claim, dev.ordinal.naming.Labels.BIND_COMPLETED))) {
      pointed = ClusterDidIt.writeOrAdopt(() -> claims.resource(BindWrites.pointedAt(claim, volumeName)).update(),
          () -> claims.withName(claimName).get(),
          c -> c != null && claimUid.equals(c.getMetadata().getUid()) && volumeName.equals(c.getSpec().getVolumeName())
              && "yes".equals(annotation(c, dev.ordinal.naming.Labels.BIND_COMPLETED)),
          "claim " + claimName + " bind-completed",
          fresh -> claimUid.equals(fresh.getMetadata().getUid()) && volumeName.equals(fresh.getSpec().getVolumeName())
              ? () -> claims.resource(BindWrites.pointedAt(fresh, volumeName)).update() : null);
    }
    if (pointed.getStatus() == null || !"Bound".equals(pointed.getStatus().getPhase())) {
      PersistentVolumeClaim toMark = pointed;
      PersistentVolume source = written;
      ClusterDidIt.writeOrAdopt(() -> claims.resource(BindWrites.boundStatus(toMark, source)).updateStatus(),
          () -> claims.withName(claimName).get(),
          c -> c != null && claimUid.equals(c.getMetadata().getUid()) && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()),
          "claim " + claimName + " phase",
          fresh -> claimUid.equals(fresh.getMetadata().getUid()) && volumeName.equals(fresh.getSpec().getVolumeName())
              ? () -> claims.resource(BindWrites.boundStatus(fresh, source)).updateStatus() : null);
    }
    metrics.claimBound(set, claim);
    log.info("set {}/{}: claim {} is Bound to volume {}", set.namespace(), set.name(), claim.getMetadata().getName(), volume.getMetadata().getName());
  }

  /**
   * Revisions: created whole; renumbered (and adopted) with a merge patch of only revision and
   * owners, because the API compares a revision's data byte for byte and treats it as immutable.
   */
  private void writeRevision(SetDefinition set, Action.WriteRevision a) {
    var revisions = client.apps().controllerRevisions().inNamespace(set.namespace());
    switch (a.write()) {
      case dev.ordinal.revision.RevisionWrite.Create c -> createIgnoringExisting(() -> revisions.resource(c.revision()).create());
      case dev.ordinal.revision.RevisionWrite.Update u -> {
        String owners = client.getKubernetesSerialization().asJson(u.revision().getMetadata().getOwnerReferences());
        String patch = "{\"metadata\":{\"resourceVersion\":" + client.getKubernetesSerialization().asJson(u.revision().getMetadata().getResourceVersion())
            + ",\"ownerReferences\":" + owners + "},\"revision\":" + u.revision().getRevision() + "}";
        revisions.withName(u.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      }
      case dev.ordinal.revision.RevisionWrite.Delete d -> deleteIgnoringMissing(() -> revisions.withName(d.name()).delete());
    }
    log.info("set {}/{}: {}", set.namespace(), set.name(), a.describe());
  }

  private void createPod(SetDefinition set, Action.CreatePod a, Successes successes) {
    String name = a.pod().getMetadata().getName();
    if (createIgnoringExisting(() -> client.pods().inNamespace(set.namespace()).resource(a.pod()).create())) {
      log.info("set {}/{}: created pod {}", set.namespace(), set.name(), name);
      successes.add(Successes.Kind.CREATE_POD, a.ordinal(), name);
    }
  }

  private void deletePod(SetDefinition set, Action.DeletePod a, Successes successes) {
    if (deleteIgnoringMissing(() -> client.pods().inNamespace(set.namespace()).withName(a.name()).delete())) {
      log.info("set {}/{}: deleted pod {} ({})", set.namespace(), set.name(), a.name(), a.reason());
      successes.add(Successes.Kind.DELETE_POD, a.ordinal(), a.name());
    }
  }

  private void writeVolume(SetDefinition set, Action.WriteVolume a) {
    client.persistentVolumes().resource(a.volume()).update();
    log.info("set {}/{}: updated volume {}: {}", set.namespace(), set.name(), a.volume().getMetadata().getName(), a.reason());
  }

  private void setClaimOwners(SetDefinition set, Action.SetClaimOwners a) {
    // A JSON patch that sets the whole list: a merge patch replaces lists too on an API server, but
    // the fabric8 mock merges them by index ([set, pod] patched with [pod] became [pod, pod]), so a
    // takeover that shrinks the owners never landed there. The resourceVersion in the patched
    // object is the optimistic lock (409 when the claim changed, e.g. the collector deleted it).
    // Written by hand: the client's serializer drops empty lists, and [] must reach the server.
    var json = client.getKubernetesSerialization();
    String patch = "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":" + json.asJson(a.resourceVersion()) + "},"
        + "{\"op\":\"add\",\"path\":\"/metadata/ownerReferences\",\"value\":" + (a.owners().isEmpty() ? "[]" : json.asJson(a.owners())) + "}]";
    client.persistentVolumeClaims().inNamespace(set.namespace()).withName(a.claimName())
        .patch(PatchContext.of(PatchType.JSON), patch);
    log.info("set {}/{}: {}", set.namespace(), set.name(), a.describe());
  }

  private void resizeClaim(SetDefinition set, Action.ResizeClaim a) {
    var serialization = client.getKubernetesSerialization();
    String patch = "{\"metadata\":{\"resourceVersion\":" + serialization.asJson(a.resourceVersion())
        + "},\"spec\":{\"resources\":{\"requests\":{\"storage\":" + serialization.asJson(a.storage()) + "}}}}";
    client.persistentVolumeClaims().inNamespace(set.namespace()).withName(a.claimName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    log.info("set {}/{}: {}", set.namespace(), set.name(), a.describe());
    setEvent(set, EventNote.Type.Normal, "ExpandingClaim", a.describe());
  }

  /** True when this call created the object; false when it existed already (a stale cache, or a restart mid-flight). */
  /**
   * True when this call deleted the object; false when it was gone already. fabric8 answers a
   * delete of a missing object with an empty list rather than a 404, but both mean "already done".
   */
  private static boolean deleteIgnoringMissing(java.util.function.Supplier<List<io.fabric8.kubernetes.api.model.StatusDetails>> delete) {
    try {
      return !delete.get().isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private static boolean createIgnoringExisting(Runnable create) {
    try {
      create.run();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  private void setEvent(SetDefinition set, EventNote.Type type, String reason, String message) {
    events.record(new EventNote(
        EventNote.Involved.of(set),
        type, reason, message));
  }

  private static String failedReason(Action action) {
    return switch (action) {
      case Action.CreateClaim a -> "FailedCreate";
      case Action.CreatePod a -> "FailedCreate";
      case Action.WriteRevision a -> "FailedUpdate";
      case Action.DeletePod a -> "FailedDelete";
      case Action.BindClaim a -> "FailedBinding";
      case Action.CompleteBind a -> "FailedBinding";
      case Action.SetClaimOwners a -> "FailedUpdate";
      case Action.ResizeClaim a -> "FailedResize";
      case Action.WriteVolume a -> "FailedUpdate";
    };
  }

  /** The volume's claimRef names this claim and carries no uid yet: our reservation, not completed. */
  private static boolean isReservedFor(PersistentVolume volume, String namespace, String claimName) {
    var ref = volume.getSpec().getClaimRef();
    return ref != null && claimName.equals(ref.getName()) && namespace.equals(ref.getNamespace())
        && (ref.getUid() == null || ref.getUid().isEmpty());
  }

  private static boolean isDeleting(PersistentVolume volume) {
    return volume.getMetadata().getDeletionTimestamp() != null;
  }

  private static String annotation(PersistentVolumeClaim claim, String key) {
    return claim.getMetadata().getAnnotations() == null ? null : claim.getMetadata().getAnnotations().get(key);
  }

  private static List<List<Action>> groupByOrdinal(List<Action> actions) {
    Map<Integer, List<Action>> byOrdinal = new LinkedHashMap<>();
    for (Action a : actions) {
      byOrdinal.computeIfAbsent(a.ordinal(), k -> new ArrayList<>()).add(a);
    }
    return new ArrayList<>(byOrdinal.values());
  }

  @Override
  public void close() {
    pool.shutdown();
  }

  /**
   * The creates and deletes one execute() carried out, reported as Events when it ends: one Event
   * per object while there are few (what OrderedReady and small sets always see, as upstream's
   * "create Pod web-0 in StatefulSet web successful"), one summary Event per kind when a Parallel
   * set creates many at once, so a set of 10,000 does not write 20,000 Events (upstream's event
   * recorder would drop or aggregate most of them too: its spam filter allows a burst of 25 per object).
   */
  private final class Successes {
    /** At most this many objects of a kind get an Event each; more get one summary Event. */
    static final int INDIVIDUAL_EVENTS_MAX = 3;
    /** Names listed in a summary Event. */
    static final int NAMES_LISTED = 5;

    enum Kind {
      CREATE_CLAIM("SuccessfulCreate", "create", "Claim", "Claims"),
      CREATE_POD("SuccessfulCreate", "create", "Pod", "Pods"),
      DELETE_POD("SuccessfulDelete", "delete", "Pod", "Pods");

      final String reason;
      final String verb;
      final String one;
      final String many;

      Kind(String reason, String verb, String one, String many) {
        this.reason = reason;
        this.verb = verb;
        this.one = one;
        this.many = many;
      }
    }

    private record Done(int ordinal, String name) {}

    private final Map<Kind, List<Done>> byKind = new java.util.concurrent.ConcurrentHashMap<>();

    void add(Kind kind, int ordinal, String name) {
      byKind.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>())).add(new Done(ordinal, name));
    }

    void report(SetDefinition set) {
      for (Kind kind : Kind.values()) {
        List<Done> list = byKind.get(kind);
        if (list == null || list.isEmpty()) {
          continue;
        }
        List<Done> sorted = new ArrayList<>(list);
        sorted.sort(java.util.Comparator.comparingInt(Done::ordinal));
        if (sorted.size() <= INDIVIDUAL_EVENTS_MAX) {
          for (Done d : sorted) {
            setEvent(set, EventNote.Type.Normal, kind.reason, single(set, kind, d));
          }
          continue;
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < Math.min(NAMES_LISTED, sorted.size()); i++) {
          names.append(i == 0 ? "" : ", ").append(sorted.get(i).name());
        }
        if (sorted.size() > NAMES_LISTED) {
          names.append(", ... ").append(sorted.get(sorted.size() - 1).name());
        }
        setEvent(set, EventNote.Type.Normal, kind.reason, kind.verb + " " + sorted.size() + " " + kind.many + " (" + names + ") in " + set.kind().kind() + " "
            + set.name() + " successful");
      }
    }

    private String single(SetDefinition set, Kind kind, Done d) {
      return switch (kind) {
        case CREATE_CLAIM -> "create Claim " + d.name() + " Pod " + dev.ordinal.naming.OrdinalNames.podName(set.name(), d.ordinal())
            + " in " + set.kind().kind() + " " + set.name() + " success";
        case CREATE_POD, DELETE_POD -> kind.verb + " Pod " + d.name() + " in " + set.kind().kind() + " " + set.name() + " successful";
      };
    }
  }
}
