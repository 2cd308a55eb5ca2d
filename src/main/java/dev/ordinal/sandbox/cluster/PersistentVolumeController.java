package dev.ordinal.sandbox.cluster;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the PV controller the operator relies on. A new PV without a phase becomes Available; a PV whose
 * claimRef names a claim that no longer exists (or has another uid) becomes Released and keeps its claimRef
 * (reclaim policy Retain) or is deleted (Delete). It binds nothing: binding is the operator's job here.
 */
public final class PersistentVolumeController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PersistentVolumeController.class);

  private final KubernetesClient client;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-pv-controller");
    t.setDaemon(true);
    return t;
  });
  private SharedIndexInformer<PersistentVolume> volumes;
  private SharedIndexInformer<PersistentVolumeClaim> claims;

  public PersistentVolumeController(KubernetesClient client) {
    this.client = client;
  }

  public void start() {
    volumes = client.persistentVolumes().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(PersistentVolume pv) {
        worker.execute(() -> sync(pv));
      }

      @Override
      public void onUpdate(PersistentVolume oldPv, PersistentVolume pv) {
        worker.execute(() -> sync(pv));
      }

      @Override
      public void onDelete(PersistentVolume pv, boolean deletedFinalStateUnknown) {
      }
    });
    claims = client.persistentVolumeClaims().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(PersistentVolumeClaim claim) {
        worker.execute(() -> markPending(claim));
      }

      @Override
      public void onUpdate(PersistentVolumeClaim oldClaim, PersistentVolumeClaim claim) {
      }

      @Override
      public void onDelete(PersistentVolumeClaim claim, boolean deletedFinalStateUnknown) {
        worker.execute(PersistentVolumeController.this::syncAll);
      }
    });
    worker.scheduleWithFixedDelay(this::syncAll, 1, 1, TimeUnit.SECONDS);
  }

  private void syncAll() {
    if (volumes != null) {
      volumes.getStore().list().forEach(this::sync);
    }
  }

  void sync(PersistentVolume pv) {
    try {
      String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
      String name = pv.getMetadata().getName();
      if (pv.getMetadata().getDeletionTimestamp() != null) {
        return;
      }
      if (phase == null || phase.isEmpty()) {
        LOG.info("PV {} is Available", name);
        setPhase(name, "Available");
        return;
      }
      ObjectReference ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
      if (ref == null || ref.getName() == null || "Released".equals(phase) || "Failed".equals(phase)) {
        return;
      }
      if (!"Bound".equals(phase) && ref.getUid() == null) {
        return; // pre-bound to a claim that may not exist yet
      }
      // The informer's cache answers the common case (claim still there) without a request: the
      // once-a-second resync would otherwise GET every bound claim, which at thousands of claims
      // floods the mock server. Only a claim the cache calls gone is confirmed with a GET, since a
      // claim created moments ago may not be cached yet.
      PersistentVolumeClaim cached = claims == null ? null : claims.getStore().getByKey(ref.getNamespace() + "/" + ref.getName());
      if (!gone(ref, cached)) {
        return;
      }
      PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ref.getNamespace())
          .withName(ref.getName()).get();
      if (!gone(ref, claim)) {
        return;
      }
      if ("Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
        LOG.info("PV {}: claim {}/{} is gone, reclaim policy Delete: deleting the volume", name,
            ref.getNamespace(), ref.getName());
        client.persistentVolumes().withName(name).delete();
      } else {
        LOG.info("PV {}: claim {}/{} is gone: Released", name, ref.getNamespace(), ref.getName());
        setPhase(name, "Released");
      }
    } catch (KubernetesClientException e) {
      LOG.debug("PV sync of {} failed: {}", pv.getMetadata().getName(), e.getMessage());
    }
  }

  /** A new claim is Pending until something binds it, as the cluster's PV controller shows it. */
  private void markPending(PersistentVolumeClaim claim) {
    // A claim created naming its volume is about to be bound by whoever reserved it; leave it be.
    if ((claim.getStatus() != null && claim.getStatus().getPhase() != null) || claim.getSpec().getVolumeName() != null) {
      return;
    }
    try {
      PersistentVolumeClaim pending = new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(claim)
          .editOrNewStatus().withPhase("Pending").endStatus().build();
      client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(pending).updateStatus();
    } catch (KubernetesClientException e) {
      LOG.debug("claim {} not marked Pending (it changed meanwhile): {}", claim.getMetadata().getName(), e.getMessage());
    }
  }

  private static boolean gone(ObjectReference ref, PersistentVolumeClaim claim) {
    return claim == null || (ref.getUid() != null && !ref.getUid().equals(claim.getMetadata().getUid()));
  }

  private void setPhase(String name, String phase) {
    client.persistentVolumes().withName(name).editStatus(pv -> {
      if (pv.getStatus() == null) {
        pv.setStatus(new PersistentVolumeStatus());
      }
      pv.getStatus().setPhase(phase);
      return pv;
    });
  }

  @Override
  public void close() {
    worker.shutdownNow();
    if (volumes != null) {
      volumes.close();
    }
    if (claims != null) {
      claims.close();
    }
  }
}
