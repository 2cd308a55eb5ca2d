package dev.ordinal.testing;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.Ordinals;
import dev.ordinal.api.v1alpha1.PersistentVolumeClaimRetentionPolicy;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.planning.ClaimFactory;
import dev.ordinal.planning.PodFactory;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.spec.SpecValidation;
import dev.ordinal.spec.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A terse builder of {@link ObservedState} for planner and status tests: the seeds' {@code web}
 * set (one {@code www} claim template, class {@code manual}) with pods, claims and volumes added
 * by ordinal. Pods are built with the production {@link PodFactory} and claims with
 * {@link ClaimFactory}, so they look exactly as the operator would have created them.
 */
public final class ObservedStates {
  public static final String NS = "default";
  public static final String SET_UID = "uid-set-web";
  public static final String REVISION = "web-rev1";
  /** A moment long before {@link #NOW}: pods ready since then are available for any minReadySeconds. */
  public static final Instant LONG_AGO = Instant.parse("2024-01-01T00:00:00Z");
  public static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

  private final OrdinalSet set;
  private final Map<Integer, PodShape> pods = new TreeMap<>();
  private final Map<Integer, ClaimShape> claims = new TreeMap<>();
  private final List<PersistentVolumeClaim> rawClaims = new ArrayList<>();
  private final Map<String, PersistentVolume> volumes = new LinkedHashMap<>();
  private final Map<String, StorageClass> storageClasses = new LinkedHashMap<>();
  private Instant now = NOW;

  private ObservedStates(int replicas) {
    this.set = Fixtures.web(NS, replicas);
    set.getMetadata().setUid(SET_UID);
    set.getMetadata().setGeneration(1L);
  }

  /** The web set with this many replicas, nothing observed yet. */
  public static ObservedStates web(int replicas) {
    return new ObservedStates(replicas);
  }

  // ---- the set ----

  public ObservedStates replicas(int replicas) {
    set.getSpec().setReplicas(replicas);
    return this;
  }

  public ObservedStates start(int start) {
    set.getSpec().setOrdinals(new Ordinals(start));
    return this;
  }

  public ObservedStates parallel() {
    set.getSpec().setPodManagementPolicy(PodManagementPolicy.Parallel);
    return this;
  }

  public ObservedStates policy(PodManagementPolicy policy) {
    set.getSpec().setPodManagementPolicy(policy);
    return this;
  }

  public ObservedStates minReadySeconds(int seconds) {
    set.getSpec().setMinReadySeconds(seconds);
    return this;
  }

  public ObservedStates retention(RetentionPolicyType whenDeleted, RetentionPolicyType whenScaled) {
    set.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(whenDeleted, whenScaled));
    return this;
  }

  /** Adds claim templates beside {@code www} (same class and size). */
  public ObservedStates claimTemplates(String... extra) {
    for (String name : extra) {
      set.getSpec().getVolumeClaimTemplates().add(Fixtures.claimTemplate(name, "manual", "1Gi", "ReadWriteOnce"));
    }
    return this;
  }

  public ObservedStates editSet(Consumer<OrdinalSet> edit) {
    edit.accept(set);
    return this;
  }

  public ObservedStates now(Instant now) {
    this.now = now;
    return this;
  }

  // ---- pods ----

  /** A pod in this phase, Ready or not; a Ready pod has been Ready since {@link #LONG_AGO}. */
  public ObservedStates withPod(int ordinal, String phase, boolean ready) {
    return withPod(ordinal, phase, ready, LONG_AGO);
  }

  public ObservedStates withPod(int ordinal, String phase, boolean ready, Instant readySince) {
    pods.put(ordinal, new PodShape(phase, ready, readySince, false));
    return this;
  }

  /** Running and Ready since long ago, with every claim Bound: nothing left to do for it. */
  public ObservedStates healthy(int... ordinals) {
    for (int ordinal : ordinals) {
      withPod(ordinal, "Running", true);
      withBoundClaim(ordinal);
    }
    return this;
  }

  /** Marks an already added pod as terminating (deletionTimestamp set). */
  public ObservedStates terminating(int ordinal) {
    PodShape shape = pods.get(ordinal);
    pods.put(ordinal, new PodShape(shape.phase(), shape.ready(), shape.readySince(), true));
    return this;
  }

  // ---- claims and volumes ----

  /** Every claim of the ordinal, Bound to its own volume {@code pv-<claim>}, which is Bound back. */
  public ObservedStates withBoundClaim(int ordinal) {
    claims.put(ordinal, new ClaimShape(true, null, List.of()));
    return this;
  }

  /** Every claim of the ordinal exists and is Pending, naming no volume. */
  public ObservedStates withPendingClaim(int ordinal) {
    claims.put(ordinal, new ClaimShape(false, null, List.of()));
    return this;
  }

  /** Changes the claims of an ordinal added before (deletionTimestamp, owners, ...). */
  public ObservedStates editClaims(int ordinal, Consumer<PersistentVolumeClaim> edit) {
    ClaimShape shape = claims.get(ordinal);
    List<Consumer<PersistentVolumeClaim>> edits = new ArrayList<>(shape.edits());
    edits.add(edit);
    claims.put(ordinal, new ClaimShape(shape.bound(), shape.volumeName(), edits));
    return this;
  }

  public ObservedStates claimsOwnedBy(int ordinal, OwnerReference... owners) {
    return editClaims(ordinal, c -> c.getMetadata().setOwnerReferences(new ArrayList<>(List.of(owners))));
  }

  public ObservedStates claimsDeleting(int ordinal) {
    return editClaims(ordinal, c -> c.getMetadata().setDeletionTimestamp(NOW.minusSeconds(5).toString()));
  }

  /** A claim object exactly as given. */
  public ObservedStates withClaim(PersistentVolumeClaim claim) {
    rawClaims.add(claim);
    return this;
  }

  public ObservedStates withVolume(PersistentVolume volume) {
    volumes.put(volume.getMetadata().getName(), volume);
    return this;
  }

  public ObservedStates withStorageClass(StorageClass storageClass) {
    storageClasses.put(storageClass.getMetadata().getName(), storageClass);
    return this;
  }

  // ---- results ----

  public OrdinalSet set() {
    return set;
  }

  public SetDefinition definition() {
    SpecValidation validation = new SpecValidator().validate(set);
    if (!validation.isValid()) {
      throw new IllegalStateException("test set is invalid: " + validation.summary());
    }
    return validation.definition().orElseThrow();
  }

  public ObservedState build() {
    SetDefinition def = definition();
    Map<Integer, Pod> builtPods = new TreeMap<>();
    pods.forEach((ordinal, shape) -> builtPods.put(ordinal, pod(def, ordinal, shape)));
    Map<String, PersistentVolumeClaim> builtClaims = new HashMap<>();
    Map<String, PersistentVolume> builtVolumes = new LinkedHashMap<>(volumes);
    claims.forEach((ordinal, shape) -> {
      for (PersistentVolumeClaim template : def.claimTemplates()) {
        PersistentVolumeClaim claim = claim(def, template, ordinal, shape);
        builtClaims.put(claim.getMetadata().getName(), claim);
        if (shape.bound()) {
          PersistentVolume pv = boundVolume(claim);
          builtVolumes.put(pv.getMetadata().getName(), pv);
        }
      }
    });
    rawClaims.forEach(c -> builtClaims.put(c.getMetadata().getName(), c));
    return new ObservedState(def, new TreeMap<>(builtPods), builtClaims, builtVolumes, storageClasses, Map.of(), revisions(def), now);
  }

  /** A settled history: one revision named {@link #REVISION}, both current and update, nothing to write. */
  public static dev.ordinal.revision.RevisionState revisions(SetDefinition def) {
    var revision = dev.ordinal.revision.Revisions.newRevision(def, REVISION, dev.ordinal.revision.RevisionPayload.of(def.template()), 1);
    return new dev.ordinal.revision.RevisionState(revision, revision, def.template(), 0, java.util.List.of());
  }

  /** The pod the operator would have created for this ordinal, with the given status. */
  public static Pod pod(SetDefinition def, int ordinal, String phase, boolean ready, Instant readySince) {
    return pod(def, ordinal, new PodShape(phase, ready, readySince, false));
  }

  private static Pod pod(SetDefinition def, int ordinal, PodShape shape) {
    Pod pod = PodFactory.newPod(def, def.template(), REVISION, ordinal);
    PodBuilder b = new PodBuilder(pod)
        .editMetadata().withUid(podUid(def.name(), ordinal)).withResourceVersion("1").endMetadata()
        .withNewStatus()
        .withPhase(shape.phase())
        .withConditions(new PodConditionBuilder()
            .withType("Ready")
            .withStatus(shape.ready() ? "True" : "False")
            .withLastTransitionTime(shape.readySince().toString())
            .build())
        .endStatus();
    if (shape.terminating()) {
      b.editMetadata().withDeletionTimestamp(NOW.minusSeconds(1).toString()).endMetadata();
    }
    return b.build();
  }

  public static String podUid(String setName, int ordinal) {
    return "uid-" + OrdinalNames.podName(setName, ordinal);
  }

  private static PersistentVolumeClaim claim(SetDefinition def, PersistentVolumeClaim template, int ordinal, ClaimShape shape) {
    PersistentVolumeClaim claim = ClaimFactory.newClaim(def, template, ordinal, Optional.empty());
    String name = claim.getMetadata().getName();
    PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder(claim)
        .editMetadata().withUid("uid-" + name).withResourceVersion("1").endMetadata();
    if (shape.bound()) {
      b.editSpec().withVolumeName("pv-" + name).endSpec().withNewStatus().withPhase("Bound").endStatus();
    } else {
      b.withNewStatus().withPhase("Pending").endStatus();
    }
    PersistentVolumeClaim built = b.build();
    shape.edits().forEach(e -> e.accept(built));
    return built;
  }

  private static PersistentVolume boundVolume(PersistentVolumeClaim claim) {
    PersistentVolume pv = Fixtures.pv(claim.getSpec().getVolumeName(), "1Gi", "manual");
    return new PersistentVolumeBuilder(pv)
        .editSpec()
        .withClaimRef(new ObjectReferenceBuilder()
            .withKind("PersistentVolumeClaim").withApiVersion("v1")
            .withNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .withUid(claim.getMetadata().getUid())
            .build())
        .endSpec()
        .withNewStatus().withPhase("Bound").endStatus()
        .build();
  }

  private record PodShape(String phase, boolean ready, Instant readySince, boolean terminating) {}

  private record ClaimShape(boolean bound, String volumeName, List<Consumer<PersistentVolumeClaim>> edits) {}
}
