package dev.ordinal.operator.statefulset;

import dev.ordinal.operator.reconcile.StorageSources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the storage mode learns of changes. It keeps no informer of its own for claims, volumes and
 * StorageClasses: it reads the OrdinalSet controller's ({@link StorageSources}) and maps their
 * events to labelled StatefulSets: a claim by its name; a volume by the claim it names, or, when
 * it is free, every set with a claim not Bound; a StorageClass change (expansion allowed, a new
 * default) wakes every set. No pod is watched: the pods are the StatefulSet controller's.
 */
final class StatefulSetEventSources extends AbstractEventSource<HasMetadata, StatefulSet> {
  private final StorageSources shared;
  private final EventSourceContext<StatefulSet> context;

  StatefulSetEventSources(StorageSources shared, EventSourceContext<StatefulSet> context) {
    super(HasMetadata.class, "statefulset-storage-changes");
    this.shared = shared;
    this.context = context;
    shared.claims().addListener(waking(this::setsOf));
    shared.volumes().addListener(waking(this::setsAffectedBy));
    shared.storageClasses().addListener(waking(sc -> everySet()));
  }

  StorageSources shared() {
    return shared;
  }

  /** Nothing is read through JOSDK's secondary-resource API: the reconciler reads the shared caches. */
  @Override
  public Set<HasMetadata> getSecondaryResources(StatefulSet primary) {
    return Set.of();
  }

  /**
   * Wakes the sets an event concerns. Before this source is started nothing is woken: the primary
   * informer's initial list reconciles every set anyway.
   */
  private <R> ResourceEventHandler<R> waking(Function<R, Set<ResourceID>> mapper) {
    Function<R, Set<ResourceID>> sets = r -> {
      try {
        return mapper.apply(r);
      } catch (RuntimeException primaryNotStarted) {
        // JOSDK starts a controller's event sources before its primary informer: until that has
        // listed, its initial list reconciles every set anyway.
        return Set.of();
      }
    };
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(R resource) {
        if (isRunning()) {
          wake(sets.apply(resource));
        }
      }

      @Override
      public void onUpdate(R before, R now) {
        if (isRunning()) {
          // Both: a volume whose claimRef changed concerns the set of the old claim and of the new.
          Set<ResourceID> both = new HashSet<>(sets.apply(before));
          both.addAll(sets.apply(now));
          wake(both);
        }
      }

      @Override
      public void onDelete(R resource, boolean deletedFinalStateUnknown) {
        if (isRunning()) {
          wake(sets.apply(resource));
        }
      }
    };
  }

  private void wake(Set<ResourceID> sets) {
    sets.forEach(id -> getEventHandler().handleEvent(new Event(id)));
  }

  private Set<ResourceID> setsOf(PersistentVolumeClaim claim) {
    return context.getPrimaryCache().list(claim.getMetadata().getNamespace())
        .filter(s -> StatefulSetClaimNames.belongsTo(claim, s))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private Set<ResourceID> setsAffectedBy(PersistentVolume pv) {
    // Most clusters label no StatefulSet: then a volume event costs nothing here, however many
    // claims are waiting (an OrdinalSet of thousands binding is many volume events).
    if (context.getPrimaryCache().list().findAny().isEmpty()) {
      return Set.of();
    }
    var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (ref != null && ref.getName() != null && ref.getNamespace() != null) {
      var claim = shared.claims().get(new ResourceID(ref.getName(), ref.getNamespace()));
      if (claim.isPresent()) {
        return setsOf(claim.get());
      }
      // Reserved for a claim about to be created (reserve, then claim), or Released by a deleted one.
      return context.getPrimaryCache().list(ref.getNamespace()).map(ResourceID::fromResource).collect(Collectors.toSet());
    }
    return shared.claims().byIndex(StorageSources.UNBOUND, StorageSources.ALL).stream()
        .flatMap(c -> setsOf(c).stream()).collect(Collectors.toSet());
  }

  private Set<ResourceID> everySet() {
    return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
