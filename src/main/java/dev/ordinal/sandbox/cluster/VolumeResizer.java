package dev.ordinal.sandbox.cluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the external resizer and the kubelet's filesystem expansion: when a Bound claim asks for
 * more than its capacity and its class allows expansion, the volume grows and the claim's
 * status.capacity follows. Claims of other classes are left as they are, as a cluster would.
 */
public final class VolumeResizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeResizer.class);
  private final KubernetesClient client;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-volume-resizer");
    t.setDaemon(true);
    return t;
  });
  private SharedIndexInformer<PersistentVolumeClaim> claims;
  private SharedIndexInformer<StorageClass> classes;

  public VolumeResizer(KubernetesClient client) {
    this.client = client;
  }

  public VolumeResizer start() {
    classes = client.storage().v1().storageClasses().inform();
    claims = client.persistentVolumeClaims().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(PersistentVolumeClaim claim) {
        worker.execute(() -> sync(claim));
      }

      @Override
      public void onUpdate(PersistentVolumeClaim oldClaim, PersistentVolumeClaim claim) {
        worker.execute(() -> sync(claim));
      }

      @Override
      public void onDelete(PersistentVolumeClaim claim, boolean unknown) {}
    });
    return this;
  }

  private void sync(PersistentVolumeClaim claim) {
    if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase()) || claim.getSpec().getVolumeName() == null) {
      return;
    }
    Quantity requested = claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
        ? null : claim.getSpec().getResources().getRequests().get("storage");
    Quantity capacity = claim.getStatus().getCapacity() == null ? null : claim.getStatus().getCapacity().get("storage");
    if (requested == null || capacity == null || bytes(requested).compareTo(bytes(capacity)) <= 0) {
      return;
    }
    String className = claim.getSpec().getStorageClassName();
    StorageClass sc = className == null ? null : classes.getStore().getByKey(className);
    if (sc == null || !Boolean.TRUE.equals(sc.getAllowVolumeExpansion())) {
      return;
    }
    try {
      client.persistentVolumes().withName(claim.getSpec().getVolumeName()).edit(pv -> {
        Map<String, Quantity> grown = new HashMap<>(pv.getSpec().getCapacity());
        grown.put("storage", requested);
        pv.getSpec().setCapacity(grown);
        return pv;
      });
      Map<String, Quantity> newCapacity = new HashMap<>(claim.getStatus().getCapacity());
      newCapacity.put("storage", requested);
      PersistentVolumeClaim resized = new PersistentVolumeClaimBuilder(claim).editStatus().withCapacity(newCapacity).endStatus().build();
      client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(resized).updateStatus();
      LOG.info("resized claim {}/{} and volume {} to {}", claim.getMetadata().getNamespace(), claim.getMetadata().getName(),
          claim.getSpec().getVolumeName(), requested);
    } catch (KubernetesClientException e) {
      LOG.debug("resize of {} failed, retrying: {}", claim.getMetadata().getName(), e.getMessage());
      worker.schedule(() -> {
        PersistentVolumeClaim fresh = claims.getStore().getByKey(claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName());
        if (fresh != null) {
          sync(fresh);
        }
      }, 200, TimeUnit.MILLISECONDS);
    }
  }

  private static BigDecimal bytes(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }

  @Override
  public void close() {
    if (claims != null) {
      claims.close();
    }
    if (classes != null) {
      classes.close();
    }
    worker.shutdownNow();
  }
}
