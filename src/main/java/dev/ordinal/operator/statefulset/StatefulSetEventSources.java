package dev.ordinal.operator.statefulset;

import dev.ordinal.operator.cache.CacheTrim;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers of the storage mode, and how their events map back to labelled StatefulSets: a
 * claim by its name; a volume by the claim it names, or, when it is free, every set with a Pending
 * claim; a StorageClass change (expansion allowed, a new default) wakes every set. No pod is
 * watched: the pods are the StatefulSet controller's.
 */
record StatefulSetEventSources(
    InformerEventSource<PersistentVolumeClaim, StatefulSet> claims,
    InformerEventSource<PersistentVolume, StatefulSet> volumes,
    InformerEventSource<StorageClass, StatefulSet> storageClasses) {
  private static final String PENDING = "pending-claims";
  private static final String ALL = "all";

  static StatefulSetEventSources create(EventSourceContext<StatefulSet> context) {
    // Claims follow the controller's namespaces; volumes and classes are cluster-scoped (one informer).
    CacheTrim namespaced = CacheTrim.forNamespaces(context.getControllerConfiguration().getInformerConfig().getNamespaces());
    CacheTrim clusterScoped = CacheTrim.SINGLE_INFORMER;
    var claims = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(PersistentVolumeClaim.class, StatefulSet.class)
            .withName("statefulset-claims")
            .withItemStore(namespaced.newStore())
            .withSecondaryToPrimaryMapper(c -> setsOf(c, context))
            .build(),
        context);
    claims.addIndexers(Map.of(PENDING, c -> isBound(c) ? List.of() : List.of(ALL)));

    var volumes = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(PersistentVolume.class, StatefulSet.class)
            .withName("statefulset-volumes")
            .withItemStore(clusterScoped.newStore())
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(pv -> setsAffectedBy(pv, claims, context))
            .build(),
        context);

    var storageClasses = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(StorageClass.class, StatefulSet.class)
            .withName("statefulset-storageclasses")
            .withItemStore(clusterScoped.newStore())
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(sc -> context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build(),
        context);
    return new StatefulSetEventSources(claims, volumes, storageClasses);
  }

  private static Set<ResourceID> setsOf(PersistentVolumeClaim claim, EventSourceContext<StatefulSet> context) {
    return context.getPrimaryCache().list(claim.getMetadata().getNamespace())
        .filter(s -> StatefulSetClaimNames.belongsTo(claim, s))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static Set<ResourceID> setsAffectedBy(PersistentVolume pv, InformerEventSource<PersistentVolumeClaim, StatefulSet> claims,
      EventSourceContext<StatefulSet> context) {
    try {
      return setsAffectedByStarted(pv, claims, context);
    } catch (RuntimeException claimsNotStarted) {
      // JOSDK starts a controller's event sources side by side: a volume event of the initial list
      // may come before the claims informer exists (JOSDK then fails its start with an NPE). Every
      // set is reconciled once its sources have started anyway (the primary informer's initial list).
      return everySet(context);
    }
  }

  private static Set<ResourceID> setsAffectedByStarted(PersistentVolume pv, InformerEventSource<PersistentVolumeClaim, StatefulSet> claims,
      EventSourceContext<StatefulSet> context) {
    var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (ref != null && ref.getName() != null && ref.getNamespace() != null) {
      var claim = claims.get(new ResourceID(ref.getName(), ref.getNamespace()));
      if (claim.isPresent()) {
        return setsOf(claim.get(), context);
      }
      // Reserved for a claim about to be created (reserve, then claim), or Released by a deleted one.
      return context.getPrimaryCache().list(ref.getNamespace()).map(ResourceID::fromResource).collect(Collectors.toSet());
    }
    return claims.byIndex(PENDING, ALL).stream().flatMap(c -> setsOf(c, context).stream()).collect(Collectors.toSet());
  }

  private static boolean isBound(PersistentVolumeClaim claim) {
    return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
  }

  /** Every set in the primary cache, or none while that cache is not started yet. */
  private static Set<ResourceID> everySet(EventSourceContext<StatefulSet> context) {
    try {
      return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    } catch (RuntimeException primaryNotStarted) {
      return Set.of();
    }
  }
}
