package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.binding.BindWrites;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.spec.SpecValidator;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.ObservedStates;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An in-memory cluster for one set: the API server's objects plus the parts of the cluster the
 * operator relies on (garbage collector, PV controller's Released phase, a kubelet that starts a
 * pod only when its claims are Bound). Writes behave like the executor's: optimistic
 * resourceVersion checks, AlreadyExists on create is "done", and a failed action skips the
 * later actions of its ordinal.
 */
final class ClusterModel {
  /** A write the API server refused. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final OrdinalSet set;
  final Map<String, Pod> pods = new TreeMap<>();
  final Map<String, PersistentVolumeClaim> claims = new TreeMap<>();
  final Map<String, PersistentVolume> volumes = new TreeMap<>();
  /** Claims the garbage collector deleted, with the reason, for the data-loss invariant. */
  final List<String> collected = new ArrayList<>();
  Instant now = ObservedStates.NOW;
  private long sequence;
  private int volumeCount;

  ClusterModel(OrdinalSet set) {
    this.set = set;
  }

  SetDefinition definition() {
    return new SpecValidator().validate(set).definition().orElseThrow();
  }

  void replicas(int replicas) {
    set.getSpec().setReplicas(replicas);
  }

  ObservedState observe() {
    SetDefinition def = definition();
    Map<Integer, Pod> byOrdinal = new TreeMap<>();
    pods.values().forEach(p -> byOrdinal.put(OrdinalNames.ordinalOf(def.name(), p.getMetadata().getName()).orElseThrow(), p));
    return new ObservedState(def, new TreeMap<>(byOrdinal), claims, volumes, Map.of(), Map.of(), ObservedStates.revisions(def), now);
  }

  /** Keeps at least {@code min} Available volumes, as an admin or provisioner would. */
  void topUpVolumes(int min) {
    long available = volumes.values().stream().filter(v -> "Available".equals(v.getStatus().getPhase())).count();
    for (long i = available; i < min; i++) {
      String name = String.format("pv-%03d", volumeCount++);
      PersistentVolume pv = Fixtures.pv(name, "1Gi", "manual");
      pv.getMetadata().setResourceVersion(nextVersion());
      volumes.put(name, pv);
    }
  }

  // ---- the API server, as the executor uses it ----

  void apply(SetDefinition def, Action action) {
    switch (action) {
      case Action.CreateClaim a -> {
        a.reserve().ifPresent(this::updateVolume);
        createClaim(a.claim());
      }
      case Action.BindClaim a -> {
        PersistentVolume reserved = updateVolume(a.volume());
        PersistentVolumeClaim pointed = updateClaim(BindWrites.pointedAt(a.claim(), reserved.getMetadata().getName()));
        completeBind(pointed, reserved);
      }
      case Action.CompleteBind a -> completeBind(a.claim(), a.volume());
      case Action.WriteRevision a -> { }
      case Action.WriteVolume a -> updateVolume(a.volume());
      case Action.CreatePod a -> createPod(def, a);
      case Action.DeletePod a -> {
        Pod pod = pods.get(a.name());
        if (pod != null && Objects.equals(pod.getMetadata().getUid(), a.uid()) && pod.getMetadata().getDeletionTimestamp() == null) {
          pods.put(a.name(), new PodBuilder(pod).editMetadata().withDeletionTimestamp(now.toString()).endMetadata().build());
        }
      }
      case Action.SetClaimOwners a -> {
        PersistentVolumeClaim claim = claims.get(a.claimName());
        if (claim == null) {
          throw new Refused("claim " + a.claimName() + " not found");
        }
        checkVersion(claim.getMetadata().getResourceVersion(), a.resourceVersion(), a.claimName());
        claims.put(a.claimName(), new PersistentVolumeClaimBuilder(claim)
            .editMetadata().withOwnerReferences(new ArrayList<>(a.owners())).withResourceVersion(nextVersion()).endMetadata().build());
      }
      case Action.ResizeClaim a -> {
        PersistentVolumeClaim claim = claims.get(a.claimName());
        if (claim == null) {
          throw new Refused("claim " + a.claimName() + " not found");
        }
        checkVersion(claim.getMetadata().getResourceVersion(), a.resourceVersion(), a.claimName());
        claims.put(a.claimName(), new PersistentVolumeClaimBuilder(claim)
            .editSpec().editResources().addToRequests("storage", a.storage()).endResources().endSpec()
            .editMetadata().withResourceVersion(nextVersion()).endMetadata().build());
      }
    }
  }

  private void createClaim(PersistentVolumeClaim claim) {
    String name = claim.getMetadata().getName();
    if (claims.containsKey(name)) {
      return; // AlreadyExists counts as done
    }
    claims.put(name, new PersistentVolumeClaimBuilder(claim)
        .editMetadata().withUid("uid-" + name + "-" + (sequence + 1)).withResourceVersion(nextVersion()).endMetadata()
        .withNewStatus().withPhase("Pending").endStatus()
        .build());
  }

  private void createPod(SetDefinition def, Action.CreatePod a) {
    String name = a.pod().getMetadata().getName();
    Invariants.claimsExistFor(def, a.ordinal(), claims);
    if (pods.containsKey(name)) {
      return;
    }
    pods.put(name, new PodBuilder(a.pod())
        .editMetadata().withUid("uid-" + name + "-" + (sequence + 1)).withResourceVersion(nextVersion()).endMetadata()
        .withNewStatus().withPhase("Pending").endStatus()
        .build());
  }

  private void completeBind(PersistentVolumeClaim claim, PersistentVolume volume) {
    PersistentVolumeClaim current = claims.get(claim.getMetadata().getName());
    if (current == null) {
      throw new Refused("claim " + claim.getMetadata().getName() + " not found");
    }
    PersistentVolumeClaim pointed = current.getSpec().getVolumeName() == null
        ? updateClaim(BindWrites.pointedAt(claim, volume.getMetadata().getName())) : current;
    PersistentVolume bound = updateVolume(BindWrites.bound(volume, pointed));
    PersistentVolumeClaim done = BindWrites.boundStatus(pointed, bound);
    done.getMetadata().setResourceVersion(nextVersion());
    claims.put(done.getMetadata().getName(), done);
  }

  private PersistentVolume updateVolume(PersistentVolume desired) {
    String name = desired.getMetadata().getName();
    PersistentVolume current = volumes.get(name);
    if (current == null) {
      throw new Refused("volume " + name + " not found");
    }
    checkVersion(current.getMetadata().getResourceVersion(), desired.getMetadata().getResourceVersion(), name);
    PersistentVolume written = new PersistentVolumeBuilder(desired).editMetadata().withResourceVersion(nextVersion()).endMetadata().build();
    volumes.put(name, written);
    return written;
  }

  private PersistentVolumeClaim updateClaim(PersistentVolumeClaim desired) {
    String name = desired.getMetadata().getName();
    PersistentVolumeClaim current = claims.get(name);
    if (current == null) {
      throw new Refused("claim " + name + " not found");
    }
    checkVersion(current.getMetadata().getResourceVersion(), desired.getMetadata().getResourceVersion(), name);
    PersistentVolumeClaim written = new PersistentVolumeClaimBuilder(desired).editMetadata().withResourceVersion(nextVersion()).endMetadata().build();
    claims.put(name, written);
    return written;
  }

  private static void checkVersion(String current, String expected, String name) {
    if (expected != null && !expected.equals(current)) {
      throw new Refused("conflict on " + name + ": resourceVersion " + expected + " is not " + current);
    }
  }

  private String nextVersion() {
    return Long.toString(++sequence);
  }

  // ---- the rest of the cluster ----

  /** The kubelet: a Pending pod whose claims are all Bound starts and becomes Ready. */
  void startPod(String name) {
    Pod pod = pods.get(name);
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || !"Pending".equals(pod.getStatus().getPhase())) {
      return;
    }
    boolean claimsBound = pod.getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> claims.get(v.getPersistentVolumeClaim().getClaimName()))
        .allMatch(c -> c != null && c.getMetadata().getDeletionTimestamp() == null && "Bound".equals(c.getStatus().getPhase()));
    if (claimsBound) {
      setStatus(name, "Running", true);
    }
  }

  void setStatus(String name, String phase, boolean ready) {
    Pod pod = pods.get(name);
    pods.put(name, new PodBuilder(pod)
        .editMetadata().withResourceVersion(nextVersion()).endMetadata()
        .withNewStatus().withPhase(phase)
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").withLastTransitionTime(now.toString()).build())
        .endStatus()
        .build());
  }

  /** A user (or eviction) deletes a pod: it terminates first. */
  void userDeletes(String name) {
    Pod pod = pods.get(name);
    if (pod != null && pod.getMetadata().getDeletionTimestamp() == null) {
      pods.put(name, new PodBuilder(pod).editMetadata().withDeletionTimestamp(now.toString()).endMetadata().build());
    }
  }

  /** A terminating pod is gone; the garbage collector acts on its dependents later ({@link #collectGarbage}). */
  void finishTermination(String name, SetDefinition def) {
    pods.remove(name);
  }

  /**
   * One pass of the cluster's garbage collector, as kube-controller-manager's: an owner is
   * identified by uid (a new pod of the same name does not keep the old one's dependents); a claim
   * all of whose owners are gone is deleted; a claim with a live owner keeps it and loses the
   * dangling ones.
   */
  void collectGarbage(SetDefinition def) {
    java.util.Set<String> live = new java.util.HashSet<>();
    live.add(set.getMetadata().getUid());
    pods.values().forEach(p -> live.add(p.getMetadata().getUid()));
    for (PersistentVolumeClaim claim : List.copyOf(claims.values())) {
      var refs = claim.getMetadata().getOwnerReferences();
      if (refs == null || refs.isEmpty() || claim.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      List<io.fabric8.kubernetes.api.model.OwnerReference> solid = refs.stream().filter(r -> live.contains(r.getUid())).toList();
      if (solid.size() == refs.size()) {
        continue;
      }
      if (!solid.isEmpty()) {
        claims.put(claim.getMetadata().getName(), new PersistentVolumeClaimBuilder(claim)
            .editMetadata().withOwnerReferences(new ArrayList<>(solid)).withResourceVersion(nextVersion()).endMetadata().build());
        continue;
      }
      String owners = refs.stream().map(r -> r.getKind() + "/" + r.getName()).toList().toString();
      var ordinal = OrdinalNames.ordinalOf(def.name(), claim.getMetadata().getName().substring(claim.getMetadata().getName().indexOf('-') + 1));
      collected.add(claim.getMetadata().getName() + " with owners " + owners
          + (ordinal.isPresent() && def.inRange(ordinal.getAsInt()) ? " (ordinal desired)" : ""));
      claims.put(claim.getMetadata().getName(), new PersistentVolumeClaimBuilder(claim)
          .editMetadata().withDeletionTimestamp(now.toString()).withResourceVersion(nextVersion()).endMetadata().build());
    }
  }

  /** Claims being deleted go; their volumes become Released (Retain) and keep their claimRef. */
  void finishClaimDeletions() {
    for (PersistentVolumeClaim claim : List.copyOf(claims.values())) {
      if (claim.getMetadata().getDeletionTimestamp() != null) {
        claims.remove(claim.getMetadata().getName());
        String volume = claim.getSpec().getVolumeName();
        if (volume != null && volumes.containsKey(volume)) {
          volumes.put(volume, new PersistentVolumeBuilder(volumes.get(volume))
              .editMetadata().withResourceVersion(nextVersion()).endMetadata()
              .editOrNewStatus().withPhase("Released").endStatus().build());
        }
      }
    }
  }

  List<String> podNames() {
    return new ArrayList<>(pods.keySet());
  }

  Map<String, Pod> podsSnapshot() {
    return new LinkedHashMap<>(pods);
  }
}
