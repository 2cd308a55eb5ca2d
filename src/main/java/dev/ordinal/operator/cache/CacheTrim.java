package dev.ordinal.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import java.util.Set;

/**
 * Whether the informers of one JOSDK event source (or controller) may cache objects without their
 * managedFields ({@link ManagedFieldsDroppingStore}), decided from the namespaces it watches.
 *
 * <p>JOSDK 5.2.3 runs one fabric8 informer per watched namespace and gives each the item store of
 * the shared configuration, the same instance ({@code InformerManager.createEventSource}:
 * {@code Optional.ofNullable(informerConfig.getItemStore()).ifPresent(informer::itemStore)}).
 * fabric8's informer ends every list with {@code ProcessorStore.retainAll}, which removes from the
 * store every key its own list did not return: with a shared store, namespace b's initial list or
 * relist would delete namespace a's objects (and tell the operator they were deleted), and every
 * informer's cache would hold every namespace's objects, so JOSDK's list of a source returns each
 * object once per namespace (what {@code CacheTrimMockTest} saw with the store forced on). So the
 * store is installed only where JOSDK runs a single informer: all namespaces, one namespace, or a
 * cluster-scoped kind. With several namespaces the caches keep managedFields, as before.
 *
 * <p>The operator never changes its namespaces at run time ({@code changeNamespaces}), which would
 * add informers to a configuration that already has a store.
 */
public record CacheTrim(boolean dropsManagedFields) {
  /** A cluster-scoped kind (or one watched in all namespaces): one informer, always. */
  public static final CacheTrim SINGLE_INFORMER = new CacheTrim(true);

  /** For a source or controller watching these namespaces (JOSDK's sets, e.g. {@code WATCH_ALL_NAMESPACE_SET}). */
  public static CacheTrim forNamespaces(Set<String> namespaces) {
    return new CacheTrim(InformerConfiguration.allNamespacesWatched(namespaces) || namespaces.size() == 1);
  }

  /**
   * A new store for one configuration, or null where JOSDK must keep its own default store per
   * informer (JOSDK treats a null item store as "not set").
   */
  public <R extends HasMetadata> ItemStore<R> newStore() {
    return dropsManagedFields ? new ManagedFieldsDroppingStore<>() : null;
  }
}
