package dev.ordinal.sandbox;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the scheduler and the kubelet of one fake node, deterministically: a pod is scheduled when
 * each of its claims is Bound (or waits for a first consumer), and becomes Running and Ready only
 * when every claim it mounts is Bound. Tests steer individual pods: fail them, keep them unready,
 * or delay readiness. This is a simulation, not a kubelet: no container ever runs.
 */
public final class KubeletSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeletSimulator.class);
  public static final String NODE_NAME = "sandbox-node";

  private final KubernetesClient client;
  private final String nodeName;
  /** Set once the API server turns out to be the mock, which does not implement pods/binding. */
  private volatile boolean editNodeName;
  private final Supplier<Instant> clock;
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, Behaviour> imageBehaviours = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private volatile Duration readyDelay = Duration.ZERO;
  /** When each pod (by uid) that is waiting out {@link #readyDelay} becomes Ready. */
  private final Map<String, Instant> readyAt = new ConcurrentHashMap<>();
  /** Zero: a pod is placed as soon as its claims allow. See {@link #setSchedulingBackoff}. */
  private volatile Duration schedulingBackoff = Duration.ZERO;
  /** Pods (by uid) that could not be placed yet: how often they were tried, and when they may be tried again. */
  private final Map<String, SchedulingAttempts> unschedulable = new ConcurrentHashMap<>();
  private volatile SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<PersistentVolumeClaim> claims;
  private SharedIndexInformer<StorageClass> classes;

  /** What a test wants a pod to do instead of becoming Ready. */
  public enum Behaviour { FAIL, STAY_UNREADY, SUCCEED }

  public KubeletSimulator(KubernetesClient client, String nodeName, Supplier<Instant> clock) {
    this(client, nodeName, clock, 1);
  }

  /**
   * With {@code workers} > 1, that many pods are handled at once (never the same pod twice at
   * once), for large sets (the convergence benchmark); one worker is the deterministic default.
   */
  public KubeletSimulator(KubernetesClient client, String nodeName, Supplier<Instant> clock, int workers) {
    this.client = client;
    this.nodeName = nodeName;
    this.clock = clock;
    java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
    this.worker = Executors.newScheduledThreadPool(Math.max(1, workers), r -> {
      Thread t = new Thread(r, workers <= 1 ? "kubelet-simulator" : "kubelet-simulator-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public KubeletSimulator start() {
    ensureNode();
    classes = client.storage().v1().storageClasses().inform();
    claims = client.persistentVolumeClaims().inAnyNamespace().inform(new Handler<>(c -> claimChanged(c)));
    // Resynced every 10 s: a pod whose event was handled while the API server was away (a delete
    // to finish, a status to write) is looked at again, as a kubelet's periodic sync does.
    pods = client.pods().inAnyNamespace().inform(new Handler<>(p -> enqueue(key(p))), 10_000);
    informers.addAll(List.of(classes, claims, pods));
    return this;
  }

  /**
   * Readiness for every pod not Ready yet arrives this long after its claims are Bound (as a
   * container takes a while to start); pods already Ready stay so.
   */
  public void setReadyDelay(Duration delay) {
    this.readyDelay = delay;
    readyAt.clear();
  }

  /**
   * Places pods as kube-scheduler does when one cannot be placed at its first attempt (an
   * Immediate claim not Bound yet: "pod has unbound immediate PersistentVolumeClaims"): it is
   * tried again no sooner than {@code initial} after that attempt, doubling per failed attempt up
   * to {@link #MAX_SCHEDULING_BACKOFF} (the scheduler's podInitialBackoffSeconds, default 1, and
   * podMaxBackoffSeconds, 10), even when the claim is Bound meanwhile. Zero (the default) places a
   * pod the moment its claims are Bound, which no real scheduler does.
   */
  public void setSchedulingBackoff(Duration initial) {
    this.schedulingBackoff = initial;
    unschedulable.clear();
  }

  public static final Duration MAX_SCHEDULING_BACKOFF = Duration.ofSeconds(10);

  private record SchedulingAttempts(int count, Instant retryAt) {}

  public void behave(String namespace, String pod, Behaviour behaviour) {
    behaviours.put(namespace + "/" + pod, behaviour);
    enqueue(namespace + "/" + pod);
  }

  /** Every pod running this image behaves so (a broken image: STAY_UNREADY or FAIL), whatever its name. */
  public void behaveForImage(String image, Behaviour behaviour) {
    imageBehaviours.put(image, behaviour);
    pods.getStore().list().forEach(p -> enqueue(key(p)));
  }

  /** Back to normal: the pod becomes Ready when its claims are Bound. */
  public void heal(String namespace, String pod) {
    behaviours.remove(namespace + "/" + pod);
    enqueue(namespace + "/" + pod);
  }

  private void ensureNode() {
    try {
      if (client.nodes().withName(nodeName).get() == null) {
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata().withName(nodeName)
            .withLabels(Map.of("kubernetes.io/hostname", nodeName, "topology.kubernetes.io/zone", "sandbox-zone"))
            .endMetadata()
            .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
            .build()).create();
      }
    } catch (KubernetesClientException e) {
      log.debug("node {} not created: {}", nodeName, e.getMessage());
    }
  }

  private void claimChanged(PersistentVolumeClaim claim) {
    if (pods == null) {
      return; // still starting: the pod informer's own initial list enqueues every pod
    }
    for (Pod pod : pods.getStore().list()) {
      if (Objects.equals(pod.getMetadata().getNamespace(), claim.getMetadata().getNamespace())
          && claimNames(pod).contains(claim.getMetadata().getName())) {
        enqueue(key(pod));
      }
    }
  }

  private void enqueue(String key) {
    if (queued.add(key)) {
      worker.execute(() -> {
        if (!running.add(key)) {
          // Another worker is syncing this pod: look again once it is done.
          worker.schedule(() -> {
            queued.remove(key);
            enqueue(key);
          }, 20, TimeUnit.MILLISECONDS);
          return;
        }
        try {
          queued.remove(key);
          sync(key);
        } finally {
          running.remove(key);
        }
      });
    }
  }

  private void sync(String key) {
    Pod pod = pods.getStore().getByKey(key);
    if (pod == null) {
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      finishTermination(pod);
      return;
    }
    try {
      Behaviour behaviour = behaviours.getOrDefault(key, imageBehaviour(pod));
      if (pod.getSpec().getNodeName() == null) {
        String uid = pod.getMetadata().getUid();
        SchedulingAttempts attempts = unschedulable.get(uid);
        if (attempts != null && attempts.retryAt().isAfter(clock.get())) {
          return; // backing off: the retry is already scheduled
        }
        if (schedulable(pod)) {
          unschedulable.remove(uid);
          Pod scheduled = assignNode(pod);
          if (scheduled == null) {
            return;
          }
          log.debug("scheduled pod {} to {}", key, nodeName);
          setStatus(scheduled, pending(scheduled));
        } else {
          // What the API server and the scheduler show for a pod that cannot be placed yet.
          setStatus(pod, pending(pod));
          backOff(key, uid, attempts);
        }
        return;
      }
      PodStatus desired;
      if (behaviour == Behaviour.FAIL) {
        desired = terminal(pod, "Failed");
      } else if (behaviour == Behaviour.SUCCEED) {
        desired = terminal(pod, "Succeeded");
      } else if (!allClaimsBound(pod) || behaviour == Behaviour.STAY_UNREADY) {
        desired = isRunning(pod) && behaviour == Behaviour.STAY_UNREADY ? running(pod, false) : pending(pod);
      } else {
        Duration delay = readyDelay;
        if (!delay.isZero() && !isRunningAndReady(pod)) {
          // Counted from the first sync that found the claims Bound, not from each sync: our own
          // status write comes back as an event at once, and must not end the wait early.
          Instant at = readyAt.computeIfAbsent(pod.getMetadata().getUid(), uid -> clock.get().plus(delay));
          Duration left = Duration.between(clock.get(), at);
          if (left.isPositive()) {
            setStatus(pod, running(pod, false));
            worker.schedule(() -> enqueue(key), left.toMillis() + 1, TimeUnit.MILLISECONDS);
            return;
          }
        }
        desired = running(pod, true);
      }
      setStatus(pod, desired);
    } catch (KubernetesClientException e) {
      log.debug("kubelet simulator could not update {}: {}", key, e.getMessage());
      worker.schedule(() -> enqueue(key), 200, TimeUnit.MILLISECONDS);
    }
  }

  private void backOff(String key, String uid, SchedulingAttempts previous) {
    Duration initial = schedulingBackoff;
    if (initial.isZero() || uid == null) {
      return;
    }
    int count = previous == null ? 1 : previous.count() + 1;
    Duration wait = initial.multipliedBy(1L << Math.min(count - 1, 20));
    if (wait.compareTo(MAX_SCHEDULING_BACKOFF) > 0) {
      wait = MAX_SCHEDULING_BACKOFF;
    }
    unschedulable.put(uid, new SchedulingAttempts(count, clock.get().plus(wait)));
    worker.schedule(() -> enqueue(key), wait.toMillis() + 1, TimeUnit.MILLISECONDS);
  }

  /**
   * A real API server deletes a pod gracefully: it only marks it, and the kubelet removes it once
   * its containers have stopped. Ours have nothing to stop, so the pod goes at once, as a kubelet
   * does it: a delete with grace period 0. (The mock API server deletes at once and never needs this.)
   */
  private void finishTermination(Pod pod) {
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (grace != null && grace == 0) {
      return;
    }
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .withGracePeriod(0).delete();
    log.debug("terminated pod {}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  /**
   * Places the pod on our node as the scheduler does, through the pods/binding subresource: a real
   * API server forbids setting spec.nodeName by update. The mock API server stores a Binding as a
   * plain object, so there (recognised by the pod still having no node) the pod is edited instead.
   */
  private Pod assignNode(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    if (!editNodeName) {
      try {
        client.bindings().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.BindingBuilder()
            .withNewMetadata().withName(name).withNamespace(ns).withUid(pod.getMetadata().getUid()).endMetadata()
            .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
            .build()).create();
        Pod bound = client.pods().inNamespace(ns).withName(name).get();
        if (bound == null || bound.getSpec().getNodeName() != null) {
          return bound;
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 && e.getCode() != 405 && e.getCode() != 400) {
          throw e;
        }
        // an emulated API server that does not serve bindings at all
      }
      editNodeName = true;
    }
    return client.pods().inNamespace(ns).withName(name).edit(p -> { p.getSpec().setNodeName(nodeName); return p; });
  }

  private Behaviour imageBehaviour(Pod pod) {
    for (var c : pod.getSpec().getContainers()) {
      Behaviour b = imageBehaviours.get(c.getImage());
      if (b != null) {
        return b;
      }
    }
    return null;
  }

  private void setStatus(Pod pod, PodStatus desired) {
    if (sameStatus(pod.getStatus(), desired)) {
      return;
    }
    // Guarded by the cached resourceVersion: the mock API server stores a status write of a
    // built-in kind as the whole object, so a stale copy must never overwrite a recreated pod.
    Pod copy = new io.fabric8.kubernetes.api.model.PodBuilder(pod).withStatus(desired).build();
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).updateStatus();
  }

  private boolean schedulable(Pod pod) {
    for (String name : claimNames(pod)) {
      PersistentVolumeClaim claim = claims.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + name);
      if (claim == null) {
        return false;
      }
      boolean bound = claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
      if (!bound && !waitsForFirstConsumer(claim)) {
        return false;
      }
    }
    return true;
  }

  private boolean waitsForFirstConsumer(PersistentVolumeClaim claim) {
    String cls = claim.getSpec().getStorageClassName();
    if (cls == null) {
      return false;
    }
    StorageClass sc = classes.getStore().getByKey(cls);
    return sc != null && "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
  }

  private boolean allClaimsBound(Pod pod) {
    for (String name : claimNames(pod)) {
      PersistentVolumeClaim claim = claims.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + name);
      if (claim == null || claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
        return false;
      }
    }
    return true;
  }

  private static List<String> claimNames(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return List.of();
    }
    return pod.getSpec().getVolumes().stream()
        .map(Volume::getPersistentVolumeClaim)
        .filter(Objects::nonNull)
        .map(c -> c.getClaimName())
        .toList();
  }

  private static boolean isRunningAndReady(Pod pod) {
    return isRunning(pod) && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean isRunning(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private PodStatus pending(Pod pod) {
    return new PodStatusBuilder().withPhase("Pending")
        .withConditions(condition("PodScheduled", pod.getSpec().getNodeName() != null), condition("Ready", false))
        .build();
  }

  private PodStatus running(Pod pod, boolean ready) {
    String since = Optional.ofNullable(pod.getStatus())
        .flatMap(s -> Optional.ofNullable(s.getConditions()))
        .flatMap(cs -> cs.stream().filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()) == ready).findFirst())
        .map(PodCondition::getLastTransitionTime)
        .orElse(clock.get().toString());
    List<io.fabric8.kubernetes.api.model.ContainerStatus> containers = pod.getSpec().getContainers().stream()
        .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(ready)
            .withRestartCount(0).withNewState().withNewRunning().withStartedAt(since).endRunning().endState().build())
        .toList();
    return new PodStatusBuilder().withPhase("Running").withHostIP("10.0.0.1")
        .withPodIP("10.244.0." + (Math.abs(pod.getMetadata().getName().hashCode()) % 250 + 2))
        .withStartTime(since)
        .withConditions(condition("PodScheduled", true),
            new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").withLastTransitionTime(since).build())
        .withContainerStatuses(containers)
        .build();
  }

  private PodStatus terminal(Pod pod, String phase) {
    return new PodStatusBuilder().withPhase(phase)
        .withConditions(condition("PodScheduled", true), condition("Ready", false))
        .build();
  }

  private PodCondition condition(String type, boolean status) {
    return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").withLastTransitionTime(clock.get().toString()).build();
  }

  /** Compares what matters, ignoring timestamps, so the simulator writes only on change. */
  private static boolean sameStatus(PodStatus a, PodStatus b) {
    if (a == null) {
      return false;
    }
    if (!Objects.equals(a.getPhase(), b.getPhase())) {
      return false;
    }
    return Objects.equals(conditionSummary(a), conditionSummary(b));
  }

  private static List<String> conditionSummary(PodStatus s) {
    return s.getConditions() == null ? List.of()
        : s.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus()).sorted().toList();
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    worker.shutdownNow();
  }

  /** Any add, update or delete of an object runs the callback. */
  private record Handler<T>(java.util.function.Consumer<T> onChange) implements ResourceEventHandler<T> {
    public void onAdd(T obj) { onChange.accept(obj); }
    public void onUpdate(T oldObj, T newObj) { onChange.accept(newObj); }
    public void onDelete(T obj, boolean deletedFinalStateUnknown) { onChange.accept(obj); }
  }
}
