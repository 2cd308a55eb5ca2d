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
 * a dependent whose owners are all gone (absent, or present with another uid) is deleted; an owner deleted with
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

  /** Deletes or orphans one dependent whose owners are gone. */
  void collect(HasMetadata dependent) {
    List<OwnerReference> refs = dependent.getMetadata().getOwnerReferences();
    String ns = dependent.getMetadata().getNamespace();
    List<OwnerReference> orphaned = new ArrayList<>();
    int absent = 0;
    for (OwnerReference ref : refs) {
      if (ownerExists(ref, ns)) {
        continue;
      }
      absent++;
      if (deletionPolicies.isOrphan(ref.getUid())) {
        orphaned.add(ref);
      }
    }
    try {
      if (!orphaned.isEmpty()) {
        LOG.info("orphaning {} {}/{} (owner deleted with propagationPolicy Orphan)", dependent.getKind(), ns,
            dependent.getMetadata().getName());
        client.genericKubernetesResources(dependent.getApiVersion(), dependent.getKind()).inNamespace(ns)
            .withName(dependent.getMetadata().getName()).edit(r -> {
              r.getMetadata().getOwnerReferences().removeIf(o -> orphaned.stream()
                  .anyMatch(x -> x.getUid().equals(o.getUid())));
              return r;
            });
      } else if (absent == refs.size() && dependent.getMetadata().getDeletionTimestamp() == null) {
        LOG.info("garbage-collecting {} {}/{}: all owners gone", dependent.getKind(), ns,
            dependent.getMetadata().getName());
        client.genericKubernetesResources(dependent.getApiVersion(), dependent.getKind()).inNamespace(ns)
            .withName(dependent.getMetadata().getName()).withPropagationPolicy(
                io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
      }
    } catch (KubernetesClientException e) {
      LOG.debug("garbage collection of {} failed: {}", dependent.getMetadata().getName(), e.getMessage());
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
