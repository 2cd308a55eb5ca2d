package dev.ordinal.sandbox.cluster;

import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.observe.ObservedStateBuilder;
import dev.ordinal.planning.Action;
import dev.ordinal.planning.OrdinalPlan;
import dev.ordinal.planning.OrdinalPlanner;
import dev.ordinal.revision.RevisionHash;
import dev.ordinal.revision.RevisionWrite;
import dev.ordinal.revision.Revisions;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.spec.SpecValidation;
import dev.ordinal.spec.StatefulSetDefinitions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kube-controller-manager's StatefulSet controller on the sandbox's mock backend, which has
 * none (the real backend runs the real one), so that a StatefulSet gets pods there too.
 *
 * <p>It is not a second implementation: our own {@link OrdinalPlanner} already decides what that
 * controller decides (claims of missing ordinals before their pods, OrderedReady or Parallel,
 * scale-down from the highest ordinal, rolling updates down to the partition, retention owners).
 * Each sync reads the StatefulSet as a set definition, plans, and performs only the writes the
 * upstream controller makes, in its shapes ({@link StatefulSetWrites}): no claim is ever bound,
 * resized or rewritten, so a claim that exists (our operator's, made ahead of this controller) is
 * used as it is, and claims of a new ordinal are left unbound for the PV binder. Where our planner
 * knowingly differs from upstream (docs/divergences.md: partition counted from the ordinal,
 * a pod stuck on an outdated revision replaced), this controller differs the same way.
 *
 * <p>One worker thread syncs one set at a time, woken by its pods, claims and itself, and every
 * few seconds regardless (a kubelet or PV write it missed).
 */
public final class StatefulSetController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatefulSetController.class);
  private static final Duration RESYNC = Duration.ofSeconds(5);
  private static final Duration RETRY = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final StatefulSetDefinitions definitions = new StatefulSetDefinitions();
  private final OrdinalPlanner planner = new OrdinalPlanner();
  private final StatefulSetWrites writes = new StatefulSetWrites();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  /** Sets (key and generation) already reported as unreadable: said once, not on every resync. */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-statefulset-controller");
    t.setDaemon(true);
    return t;
  });
  private volatile StatefulSetInformers informers;
  private ObservedStateBuilder observer;

  public StatefulSetController(KubernetesClient client) {
    this.client = client;
  }

  public StatefulSetController start() {
    // Events during the informers' first lists are dropped: every set is synced once they are up.
    StatefulSetInformers started = new StatefulSetInformers(client, this::changed);
    observer = new ObservedStateBuilder(started, new Revisions(new RevisionHash()));
    informers = started;
    worker.scheduleWithFixedDelay(() -> informers.sets().forEach(this::enqueue), 0, RESYNC.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * A pod wakes the set that controls it or whose name it carries (an orphan to adopt); a claim or
   * a ControllerRevision, every set of its namespace.
   */
  private void changed(Object obj) {
    StatefulSetInformers cache = informers;
    if (cache == null) {
      return;
    }
    switch (obj) {
      case StatefulSet set -> enqueue(set);
      case Pod pod -> cache.sets(pod.getMetadata().getNamespace()).stream()
          .filter(s -> controls(s, pod) || OrdinalNames.ordinalOf(s.getMetadata().getName(), pod.getMetadata().getName()).isPresent())
          .forEach(this::enqueue);
      case HasMetadata other -> cache.sets(other.getMetadata().getNamespace()).forEach(this::enqueue);
      default -> { }
    }
  }

  private static boolean controls(StatefulSet set, Pod pod) {
    return OwnerRefs.isControlledBy(pod.getMetadata().getOwnerReferences(), set.getMetadata().getUid());
  }

  private void enqueue(StatefulSet set) {
    enqueue(Cache.metaNamespaceKeyFunc(set));
  }

  /** A set already waiting for its sync is not queued twice. */
  private void enqueue(String key) {
    if (queued.add(key)) {
      worker.execute(() -> {
        queued.remove(key);
        sync(key);
      });
    }
  }

  /** Later, without holding back a sync that an event asks for meanwhile. */
  private void enqueueAfter(String key, Duration delay) {
    worker.schedule(() -> enqueue(key), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sync(String key) {
    StatefulSet statefulSet = informers.set(key).orElse(null);
    if (statefulSet == null || statefulSet.getMetadata().getDeletionTimestamp() != null) {
      return; // its pods go with it: the garbage collector follows their owner references
    }
    try {
      // The cluster's controller knows nothing of our annotation: an unreadable value must not stop it.
      SpecValidation read = definitions.read(new StatefulSetBuilder(statefulSet).editMetadata()
          .removeFromAnnotations(StatefulSetDefinitions.VOLUME_REUSE_ANNOTATION).endMetadata().build());
      if (!read.isValid()) {
        if (refused.add(key + "@" + statefulSet.getMetadata().getGeneration())) {
          LOG.warn("statefulset {}: not synced, the API server would have refused it: {}", key, read.summary());
        }
        return;
      }
      SetDefinition set = read.definition().orElseThrow();
      if (heldByAnEarlierSet(set)) {
        return; // the garbage collector's writes sync the set again
      }
      if (adoptOrphans(set)) {
        return; // the adopted pods' events sync the set again, with them as its own
      }
      var status = statefulSet.getStatus();
      ObservedState state = observer.observe(set, status == null ? null : status.getCurrentRevision(),
          status == null || status.getCollisionCount() == null ? 0 : status.getCollisionCount(), Instant.now());
      OrdinalPlan plan = planner.plan(state);
      boolean complete = perform(set, state, writes.translate(state, plan.actions()));
      writeStatus(statefulSet, writes.status(state, plan));
      plan.requeueAfter().ifPresent(after -> enqueueAfter(key, after));
      if (!complete) {
        enqueueAfter(key, RETRY);
      }
    } catch (KubernetesClientException | IllegalStateException e) {
      LOG.debug("statefulset {}: sync failed, retrying: {}", key, e.getMessage());
      enqueueAfter(key, RETRY);
    }
  }

  /**
   * Whether a pod or revision of this set's name is still controlled by an earlier StatefulSet of
   * the same name, deleted with {@code --cascade=orphan} a moment ago. The garbage collector orphans
   * them first; syncing before would not see the old revision as ours, name a new one, and so
   * restart every pod the set is about to adopt.
   */
  private boolean heldByAnEarlierSet(SetDefinition set) {
    return Stream.concat(informers.podsLabelled(set.namespace(), set.name()).stream(),
            informers.revisionsLabelled(set.namespace(), set.name()).stream())
        .map(d -> OwnerRefs.controller(d.getMetadata().getOwnerReferences()))
        .flatMap(Optional::stream)
        .anyMatch(r -> "StatefulSet".equals(r.getKind()) && set.name().equals(r.getName()) && !set.uid().equals(r.getUid()));
  }

  private boolean adoptOrphans(SetDefinition set) {
    boolean adopted = false;
    for (Pod pod : informers.podsLabelled(set.namespace(), set.name())) {
      var adoption = StatefulSetWrites.adopted(set, pod);
      if (adoption.isPresent()) {
        client.pods().inNamespace(set.namespace()).resource(adoption.get()).update(); // guarded by the cached resourceVersion
        LOG.info("statefulset {}/{}: adopted pod {}", set.namespace(), set.name(), pod.getMetadata().getName());
        adopted = true;
      }
    }
    return adopted;
  }

  /**
   * Performs the writes in order. As upstream, "already exists" on create and "not found" on
   * delete count as done (a claim our operator made first is simply there); a conflict or any
   * other failure stops the writes of that ordinal, and the set is synced again from fresh state.
   */
  private boolean perform(SetDefinition set, ObservedState state, List<Action> actions) {
    Set<Integer> failed = new HashSet<>();
    for (Action action : actions) {
      if (failed.contains(action.ordinal()) || failed.contains(Action.SET_LEVEL)) {
        continue;
      }
      try {
        perform(set, state, action);
        LOG.info("statefulset {}/{}: {}", set.namespace(), set.name(), action.describe());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && isCreate(action) || e.getCode() == 404 && action instanceof Action.DeletePod) {
          continue;
        }
        LOG.info("statefulset {}/{}: {} failed, retrying from fresh state: {}", set.namespace(), set.name(), action.describe(), e.getMessage());
        failed.add(action.ordinal());
      }
    }
    return failed.isEmpty();
  }

  private static boolean isCreate(Action action) {
    return action instanceof Action.CreatePod || action instanceof Action.CreateClaim
        || action instanceof Action.WriteRevision w && w.write() instanceof RevisionWrite.Create;
  }

  private void perform(SetDefinition set, ObservedState state, Action action) {
    String ns = set.namespace();
    switch (action) {
      case Action.CreateClaim c -> client.persistentVolumeClaims().inNamespace(ns).resource(c.claim()).create();
      case Action.CreatePod p -> client.pods().inNamespace(ns).resource(p.pod()).create();
      case Action.DeletePod d -> client.pods().inNamespace(ns).withName(d.name()).delete();
      // A whole-object update guarded by the observed resourceVersion: only the owners change.
      case Action.SetClaimOwners o -> client.persistentVolumeClaims().inNamespace(ns).resource(
          new PersistentVolumeClaimBuilder(state.claims().get(o.claimName()))
              .editMetadata().withOwnerReferences(o.owners()).endMetadata().build()).update();
      case Action.WriteRevision r -> {
        var revisions = client.apps().controllerRevisions().inNamespace(ns);
        switch (r.write()) {
          case RevisionWrite.Create c -> revisions.resource(c.revision()).create();
          case RevisionWrite.Update u -> revisions.resource(u.revision()).update();
          case RevisionWrite.Delete d -> revisions.withName(d.name()).delete();
        }
      }
      case Action.BindClaim b -> throw new IllegalStateException("the StatefulSet controller never binds: " + b.describe());
      case Action.CompleteBind b -> throw new IllegalStateException("the StatefulSet controller never binds: " + b.describe());
      case Action.WriteVolume v -> throw new IllegalStateException("the StatefulSet controller never writes a volume: " + v.describe());
      case Action.ResizeClaim r -> throw new IllegalStateException("the StatefulSet controller never resizes: " + r.describe());
    }
  }

  /**
   * Written only when it differs (upstream inconsistentStatus), on the observed object: the mock
   * stores a built-in kind's status write as the whole object, so only the resourceVersion keeps a
   * stale copy from undoing a spec change. A conflict means a newer set is on its way to the
   * informer, and its event syncs the set again.
   */
  private void writeStatus(StatefulSet observed, StatefulSetStatus status) {
    if (Objects.equals(observed.getStatus(), status)) {
      return;
    }
    String key = Cache.metaNamespaceKeyFunc(observed);
    try {
      client.apps().statefulSets().inNamespace(observed.getMetadata().getNamespace())
          .resource(new StatefulSetBuilder(observed).withStatus(status).build()).updateStatus();
      LOG.debug("statefulset {}: status {}", key, status);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      LOG.debug("statefulset {}: status not written, the set changed meanwhile", key);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    if (informers != null) {
      informers.close();
    }
  }
}
