package dev.ordinal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads and waits on one test namespace, so operator tests read like the behaviour they check. */
public final class Cluster {
  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final KubernetesClient client;
  private final String ns;

  public Cluster(Harness harness) {
    this.client = harness.client();
    this.ns = harness.namespace();
  }

  public KubernetesClient client() {
    return client;
  }

  public String ns() {
    return ns;
  }

  /** A storage class name private to this test: cluster-scoped PVs of other tests never match. */
  public String storageClass() {
    return ns;
  }

  public PersistentVolume createPv(String name, String size, String... modes) {
    return client.persistentVolumes().resource(Fixtures.pv(ns + "-" + name, size, storageClass(), modes)).create();
  }

  public String pvName(String name) {
    return ns + "-" + name;
  }

  public OrdinalSet web(int replicas) {
    return Fixtures.set(ns, "web", replicas, storageClass(), "1Gi");
  }

  public OrdinalSet create(OrdinalSet set) {
    return client.resource(set).create();
  }

  public OrdinalSet set(String name) {
    return client.resources(OrdinalSet.class).inNamespace(ns).withName(name).get();
  }

  public void scale(String name, int replicas) {
    mergePatch(name, "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  /** A JSON merge patch of the set, as `kubectl patch --type merge` sends it (no resourceVersion). */
  public void mergePatch(String name, String json) {
    client.resources(OrdinalSet.class).inNamespace(ns).withName(name)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), json);
  }

  public Pod pod(String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  public List<String> podNames() {
    return client.pods().inNamespace(ns).list().getItems().stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  public PersistentVolumeClaim claim(String name) {
    return client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
  }

  public String claimPhase(String name) {
    PersistentVolumeClaim c = claim(name);
    return c == null || c.getStatus() == null ? null : c.getStatus().getPhase();
  }

  public PersistentVolume pv(String name) {
    return client.persistentVolumes().withName(pvName(name)).get();
  }

  public boolean isReady(String pod) {
    Pod p = pod(pod);
    return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public Optional<Condition> condition(String set, String type) {
    OrdinalSet s = set(set);
    if (s == null || s.getStatus() == null || s.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return s.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public List<Event> events() {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  public void awaitReady(String... pods) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      for (String p : pods) {
        assertThat(isReady(p)).as(p + " Ready").isTrue();
      }
    });
  }

  public void awaitBound(String... claims) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      for (String c : claims) {
        assertThat(claimPhase(c)).as(c + " phase").isEqualTo("Bound");
      }
    });
  }

  /** Records pod ADDED/DELETED events in the order the API server sent them. */
  public PodEvents recordPodEvents() {
    PodEvents events = new PodEvents();
    // An informer, not a bare watch: it lists, then watches from that list's resourceVersion, as
    // real API servers expect (a bare watch without one delivered nothing on kube-apiserver here).
    events.informer = client.pods().inNamespace(ns).inform(events);
    return events;
  }

  /** Pod lifecycle events seen by an informer: "+web-2" for added, "-web-2" for deleted. */
  public static final class PodEvents implements ResourceEventHandler<Pod>, AutoCloseable {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<Pod> informer;

    @Override
    public void onAdd(Pod pod) {
      seen.add("+" + pod.getMetadata().getName());
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {}

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      seen.add("-" + pod.getMetadata().getName());
    }

    public List<String> seen() {
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      informer.close();
    }
  }

  /** Records the claims whose storage request reaches {@code size}, in the order the API server reported it. */
  public ClaimGrowth recordClaimsGrowingTo(String size) {
    ClaimGrowth growth = new ClaimGrowth(new io.fabric8.kubernetes.api.model.Quantity(size));
    growth.informer = client.persistentVolumeClaims().inNamespace(ns).inform(growth);
    return growth;
  }

  /** Claim names, each once, in the order their storage request reached a size. */
  public static final class ClaimGrowth implements ResourceEventHandler<PersistentVolumeClaim>, AutoCloseable {
    private final io.fabric8.kubernetes.api.model.Quantity size;
    private final List<String> grown = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<PersistentVolumeClaim> informer;

    ClaimGrowth(io.fabric8.kubernetes.api.model.Quantity size) {
      this.size = size;
    }

    @Override
    public void onAdd(PersistentVolumeClaim claim) {}

    @Override
    public void onUpdate(PersistentVolumeClaim before, PersistentVolumeClaim claim) {
      var requests = claim.getSpec().getResources() == null ? null : claim.getSpec().getResources().getRequests();
      if (requests != null && size.equals(requests.get("storage")) && !grown.contains(claim.getMetadata().getName())) {
        grown.add(claim.getMetadata().getName());
      }
    }

    @Override
    public void onDelete(PersistentVolumeClaim claim, boolean deletedFinalStateUnknown) {}

    public List<String> names() {
      return List.copyOf(grown);
    }

    @Override
    public void close() {
      informer.close();
    }
  }
}
