package dev.ordinal.operator.reconcile;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.naming.Labels;
import dev.ordinal.operator.cache.CacheTrim;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Informers for everything a set depends on, and how their events map back to sets:
 * pods and claims by the set-name label; a volume by the claim it names, or, when it is free,
 * every set with a Pending claim (it may now bind); a StorageClass change wakes every set. The
 * claim, volume and StorageClass sources are shared with the StatefulSet storage mode.
 */
final class EventSourceFactory {

  private EventSourceFactory() {}

  static InformerClusterCache.EventSources create(EventSourceContext<OrdinalSet> context) {
    // Namespaced kinds follow the controller's namespaces; cluster-scoped ones have one informer.
    CacheTrim namespaced = CacheTrim.forNamespaces(context.getControllerConfiguration().getInformerConfig().getNamespaces());
    CacheTrim clusterScoped = CacheTrim.SINGLE_INFORMER;
    var pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, OrdinalSet.class)
            .withName("pods")
            .withItemStore(namespaced.newStore())
            .withLabelSelector(Labels.SET_NAME)
            .withSecondaryToPrimaryMapper(EventSourceFactory::bySetLabel)
            .build(),
        context);
    pods.addIndexers(Map.of(InformerClusterCache.BY_SET, InformerClusterCache::setKeyOf));

    var claims = new FanOutInformerEventSource<>(
        InformerEventSourceConfiguration.from(PersistentVolumeClaim.class, OrdinalSet.class)
            .withName("claims")
            .withItemStore(namespaced.newStore())
            .withSecondaryToPrimaryMapper(EventSourceFactory::bySetLabel)
            .build(),
        context);
    claims.addIndexers(Map.of(
        InformerClusterCache.BY_SET, InformerClusterCache::setKeyOf,
        StorageSources.UNBOUND, c -> isBound(c) ? java.util.List.of() : java.util.List.of(StorageSources.ALL)));

    var volumes = new FanOutInformerEventSource<>(
        InformerEventSourceConfiguration.from(PersistentVolume.class, OrdinalSet.class)
            .withName("volumes")
            .withItemStore(clusterScoped.newStore())
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(pv -> setsAffectedBy(pv, claims, context))
            .build(),
        context);

    var storageClasses = new FanOutInformerEventSource<>(
        InformerEventSourceConfiguration.from(StorageClass.class, OrdinalSet.class)
            .withName("storageclasses")
            .withItemStore(clusterScoped.newStore())
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(sc -> {
              try {
                return setsWithPendingClaims(claims);
              } catch (RuntimeException claimsNotStarted) {
                return everySet(context);
              }
            })
            .build(),
        context);

    var nodes = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, OrdinalSet.class)
            .withName("nodes")
            .withItemStore(clusterScoped.newStore())
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(n -> Set.of())
            .build(),
        context);

    var revisions = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ControllerRevision.class, OrdinalSet.class)
            .withName("revisions")
            .withItemStore(namespaced.newStore())
            .withLabelSelector(Labels.SET_NAME)
            .withSecondaryToPrimaryMapper(EventSourceFactory::bySetLabel)
            .build(),
        context);
    revisions.addIndexers(Map.of(InformerClusterCache.BY_SET, InformerClusterCache::setKeyOf));

    return new InformerClusterCache.EventSources(pods, claims, volumes, storageClasses, nodes, revisions);
  }

  private static Set<ResourceID> bySetLabel(HasMetadata object) {
    var labels = object.getMetadata().getLabels();
    String set = labels == null ? null : labels.get(Labels.SET_NAME);
    return set == null ? Set.of() : Set.of(new ResourceID(set, object.getMetadata().getNamespace()));
  }

  private static Set<ResourceID> setsAffectedBy(PersistentVolume pv, InformerEventSource<PersistentVolumeClaim, OrdinalSet> claims,
      EventSourceContext<OrdinalSet> context) {
    try {
      return setsAffectedByStarted(pv, claims, context);
    } catch (RuntimeException claimsNotStarted) {
      // JOSDK starts a controller's event sources side by side: a volume event of the initial list
      // may come before the claims informer exists (JOSDK then fails its start with an NPE). Every
      // set is reconciled once its sources have started anyway (the primary informer's initial list).
      return everySet(context);
    }
  }

  private static Set<ResourceID> setsAffectedByStarted(PersistentVolume pv, InformerEventSource<PersistentVolumeClaim, OrdinalSet> claims,
      EventSourceContext<OrdinalSet> context) {
    var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (ref != null && ref.getName() != null) {
      var claim = claims.get(new ResourceID(ref.getName(), ref.getNamespace()));
      if (claim.isPresent()) {
        return bySetLabel(claim.get());
      }
      // The claim is about to be created by a set in that namespace (reserve-then-create).
      return context.getPrimaryCache().list(ref.getNamespace())
          .map(s -> ResourceID.fromResource(s)).collect(Collectors.toSet());
    }
    return setsWithPendingClaims(claims);
  }

  /** The sets of the claims not Bound yet (a claim without the set label, a StatefulSet's say, names none). */
  private static Set<ResourceID> setsWithPendingClaims(InformerEventSource<PersistentVolumeClaim, OrdinalSet> claims) {
    return claims.byIndex(StorageSources.UNBOUND, StorageSources.ALL).stream().flatMap(c -> bySetLabel(c).stream()).collect(Collectors.toSet());
  }

  private static boolean isBound(PersistentVolumeClaim claim) {
    return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
  }

  /** Every set in the primary cache, or none while that cache is not started yet. */
  private static Set<ResourceID> everySet(EventSourceContext<OrdinalSet> context) {
    try {
      return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    } catch (RuntimeException primaryNotStarted) {
      return Set.of();
    }
  }
}
