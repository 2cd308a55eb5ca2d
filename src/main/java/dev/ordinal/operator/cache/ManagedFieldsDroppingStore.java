package dev.ordinal.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * fabric8's {@link BasicItemStore}, except that an object loses {@code metadata.managedFields}
 * before it is stored. The operator never reads them (server-side apply is not used anywhere), and
 * on a real API server they are a large part of every pod, claim and volume: with 10,000 of each,
 * most of the operator's heap.
 *
 * <p>The field is dropped in place, on the object fabric8 has just deserialized from a list or
 * watch, before the informer hands it to any event handler: handlers and mappers see the same
 * object as the cache, with everything else (labels, owner references, spec, status, uid,
 * resourceVersion, deletionTimestamp) untouched. Writing such an object back with an update is
 * harmless: an update without managedFields leaves the server's own unchanged.
 *
 * <p>One store serves exactly one informer: see {@link CacheTrim} for why JOSDK must not be given
 * one instance for several namespaces.
 */
public final class ManagedFieldsDroppingStore<R extends HasMetadata> implements ItemStore<R> {
  private final BasicItemStore<R> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  @Override
  public String getKey(R obj) {
    return delegate.getKey(obj);
  }

  @Override
  public R put(String key, R obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    return delegate.put(key, obj);
  }

  @Override
  public R remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<R> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public R get(String key) {
    return delegate.get(key);
  }

  @Override
  public boolean isFullState() {
    return delegate.isFullState();
  }
}
