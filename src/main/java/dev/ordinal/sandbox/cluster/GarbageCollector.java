package dev.ordinal.sandbox.cluster;

import dev.ordinal.sandbox.apiserver.DeletionPolicies;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of ownerReferences, as kube-controller-manager does it with background propagation:
 * a dependent whose owners are all gone (absent, or present with another uid) is deleted, guarded by its
 * resourceVersion; a dependent with a live owner loses its dangling references and stays; an owner deleted with
 * propagationPolicy Orphan has its ownerReference stripped from its dependents instead.
 * Dependents are watched through informers on the kinds that carry ownerReferences in this project; owners are
 * looked up live.
 */
public final class GarbageCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private static final List<String[]> DEPENDENT_KINDS = List.of(
      new String[] {"v1", "Pod"}, new String[] {"v1", "PersistentVolumeClaim"}, new String[] {"v1", "Service"},
      new String[] {"v1", "ConfigMap"}, new String[] {"v1", "Secret"},
      new String[] {"apps/v1", "ControllerRevision"}, new String[] {"v1", "Event"});

  private final KubernetesClient client;
  private final DeletionPolicies deletionPolicies;
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-garbage-collector");
    t.setDaemon(true);
    return t;
  });

  /** How long an owner seen to exist is not asked for again. */
  private static final long OWNER_SEEN_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
  private final java.util.Map<String, Long> ownersSeen = new java.util.concurrent.ConcurrentHashMap<>();

  public GarbageCollector(KubernetesClient client, DeletionPolicies deletionPolicies) {
    this.client = client;
    this.deletionPolicies = deletionPolicies;
  }

  public void start() {
    for (String[] kind : DEPENDENT_KINDS) {
      SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(kind[0], kind[1])
          .inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
              schedule(obj);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
              schedule(newObj);
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            }
          });
      informers.add(informer);
    }
    sweeper.scheduleWithFixedDelay(this::sweep, 300, 300, TimeUnit.MILLISECONDS);
  }

  private void schedule(GenericKubernetesResource obj) {
    if (!obj.getMetadata().getOwnerReferences().isEmpty()) {
      sweeper.execute(() -> collect(obj));
    }
  }

  private void sweep() {
    try {
      for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
        for (GenericKubernetesResource obj : informer.getStore().list()) {
          if (!obj.getMetadata().getOwnerReferences().isEmpty()) {
            collect(obj);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("garbage collection sweep failed", e);
    }
  }

  /**
   * Judges one dependent as kube-controller-manager's attemptToDeleteItem does: on the object read
   * afresh (the informer's copy may predate an owner change), with owners identified by uid. All
   * owners gone: the dependent is deleted, on condition that it is still the version judged (a
   * controller that took it over meanwhile, e.g. a set taking back a claim its deleted pod owned,
   * wins with a 409). Some owner alive: the dangling references are removed and the dependent stays.
   * An owner deleted with propagationPolicy Orphan has its reference stripped instead.
   */
  void collect(HasMetadata seen) {
    String ns = seen.getMetadata().getNamespace();
    String name = seen.getMetadata().getName();
    List<OwnerReference> seenRefs = seen.getMetadata().getOwnerReferences();
    if (seenRefs == null || seenRefs.stream().allMatch(r -> ownerExists(r, ns))) {
      return;  // the common case, judged on the informer's copy without a read of the dependent
    }
    var resource = client.genericKubernetesResources(seen.getApiVersion(), seen.getKind()).inNamespace(ns).withName(name);
    try {
      GenericKubernetesResource dependent = resource.get();
      if (dependent == null || !java.util.Objects.equals(dependent.getMetadata().getUid(), seen.getMetadata().getUid())
          || dependent.getMetadata().getDeletionTimestamp() != null) {
        return;
      }
      List<OwnerReference> refs = dependent.getMetadata().getOwnerReferences();
      if (refs == null || refs.isEmpty()) {
        return;
      }
      List<OwnerReference> dangling = new ArrayList<>();
      for (OwnerReference ref : refs) {
        if (!ownerExists(ref, ns)) {
          dangling.add(ref);
        }
      }
      if (dangling.isEmpty()) {
        return;
      }
      List<OwnerReference> orphaned = dangling.stream().filter(r -> deletionPolicies.isOrphan(r.getUid())).toList();
      String rv = dependent.getMetadata().getResourceVersion();
      if (!orphaned.isEmpty() || dangling.size() < refs.size()) {
        List<OwnerReference> removed = orphaned.isEmpty() ? dangling : orphaned;
        LOG.info("{} {}/{}: removing owner references {} ({})", seen.getKind(), ns, name,
            removed.stream().map(r -> r.getKind() + "/" + r.getName() + "/" + r.getUid()).toList(),
            orphaned.isEmpty() ? "owners gone while another owner exists" : "owner deleted with propagationPolicy Orphan");
        java.util.Set<String> stale = new java.util.HashSet<>();
        removed.forEach(r -> stale.add(r.getUid()));
        dependent.getMetadata().setOwnerReferences(new ArrayList<>(refs.stream().filter(r -> !stale.contains(r.getUid())).toList()));
        resource.lockResourceVersion(rv).replace(dependent);
        return;
      }
      LOG.info("garbage-collecting {} {}/{}: all owners gone", seen.getKind(), ns, name);
      resource.lockResourceVersion(rv).delete();
    } catch (KubernetesClientException e) {
      // 409: the dependent changed since it was judged; it is judged again on its next event or sweep
      LOG.debug("garbage collection of {} failed: {}", name, e.getMessage());
    }
  }

  private boolean ownerExists(OwnerReference ref, String namespace) {
    // Every sweep (each 300 ms) and every dependent's update asked the API server for the owner:
    // a set of thousands of pods kept the single-threaded mock busy with GETs of one OrdinalSet.
    // An owner seen to exist is trusted for OWNER_SEEN_TTL; an owner found missing is always
    // confirmed by a fresh GET before anything is deleted.
    String key = ref.getApiVersion() + "/" + ref.getKind() + "/" + namespace + "/" + ref.getName() + "/" + ref.getUid();
    long now = System.nanoTime();
    Long seen = ownersSeen.get(key);
    if (seen != null && now - seen < OWNER_SEEN_TTL_NANOS) {
      return true;
    }
    try {
      GenericKubernetesResource owner = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind())
          .inNamespace(namespace).withName(ref.getName()).get();
      boolean exists = owner != null && (ref.getUid() == null || ref.getUid().equals(owner.getMetadata().getUid()));
      if (exists) {
        ownersSeen.put(key, now);
      } else {
        ownersSeen.remove(key);
      }
      if (ownersSeen.size() > 10_000) {
        ownersSeen.values().removeIf(t -> now - t >= OWNER_SEEN_TTL_NANOS);
      }
      return exists;
    } catch (KubernetesClientException e) {
      // unknown owner kind: keep the dependent, as the real collector does while discovery is incomplete
      return true;
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
  }
}
