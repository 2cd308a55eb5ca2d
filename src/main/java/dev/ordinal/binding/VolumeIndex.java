package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * PersistentVolumes arranged so a claim's best match costs O(log n) rather than a scan: buckets
 * keyed by (storage class, volume mode, access-mode set), each sorted by capacity then name, and
 * a map from claimRef to the volumes pre-bound to that claim. Built once per plan in O(n log n);
 * immutable, so one index can serve several passes.
 */
public final class VolumeIndex {
  private record ClassAndMode(String storageClass, String volumeMode) {}

  /** Per (class, mode): the buckets, fewest access modes first, as the choice prefers them. */
  private final Map<ClassAndMode, List<CapacityBucket>> buckets;

  private final Map<String, IndexedVolume> byName;
  private final List<IndexedVolume> inNameOrder;
  private final Map<String, List<IndexedVolume>> byClaimRef;
  private final Set<String> storageClasses;
  private final Consumer<IndexedVolume> onVisit;

  private VolumeIndex(Collection<PersistentVolume> volumes, Consumer<IndexedVolume> onVisit) {
    this.onVisit = onVisit;
    // A hash map and one sort rather than a TreeMap: at 100,000 volumes the tree's inserts
    // were a third of the index build.
    Map<String, IndexedVolume> named = HashMap.newHashMap(volumes.size());
    for (PersistentVolume volume : volumes) {
      IndexedVolume indexed = IndexedVolume.of(volume);
      named.putIfAbsent(indexed.name(), indexed);
    }
    this.byName = Collections.unmodifiableMap(named);
    IndexedVolume[] byNameOrder = named.values().toArray(IndexedVolume[]::new);
    Arrays.sort(byNameOrder, Comparator.comparing(IndexedVolume::name));
    this.inNameOrder = List.of(byNameOrder);

    Map<ClassAndMode, Map<Integer, List<IndexedVolume>>> grouped = new HashMap<>();
    Map<String, List<IndexedVolume>> reserved = new HashMap<>();
    for (IndexedVolume volume : inNameOrder) {
      if (volume.capacityBytes() != null && canFitAnyLookup(volume)) {
        grouped
            .computeIfAbsent(
                new ClassAndMode(volume.storageClass(), volume.volumeMode()), k -> new TreeMap<>())
            .computeIfAbsent(volume.accessModes(), k -> new ArrayList<>())
            .add(volume);
      }
      if (volume.hasClaimRef()) {
        reserved.computeIfAbsent(volume.claimRefKey(), k -> new ArrayList<>()).add(volume);
      }
    }
    Map<ClassAndMode, List<CapacityBucket>> sorted = new HashMap<>();
    grouped.forEach(
        (key, byModes) ->
            sorted.put(
                key,
                byModes.entrySet().stream()
                    .map(e -> new CapacityBucket(e.getKey(), e.getValue()))
                    .sorted(
                        Comparator.comparingInt((CapacityBucket b) -> Integer.bitCount(b.accessModes()))
                            .thenComparingInt(CapacityBucket::accessModes))
                    .toList()));
    this.buckets = Map.copyOf(sorted);
    Map<String, List<IndexedVolume>> reservedCopy = new LinkedHashMap<>();
    reserved.forEach((claim, list) -> reservedCopy.put(claim, List.copyOf(list)));
    this.byClaimRef = Map.copyOf(reservedCopy);
    this.storageClasses =
        Set.copyOf(inNameOrder.stream().map(IndexedVolume::storageClass).toList());
  }

  /**
   * Whether a lookup ({@link #bestFit}) could ever return this volume; others stay out of the
   * buckets, where every lookup passing them would visit them again. A volume with a claimRef
   * fits only the claim it names, which finds it through {@link #reservedFor} before any lookup;
   * without one, a volume fits only when Available and not being deleted (VolumeFit's rules).
   */
  private static boolean canFitAnyLookup(IndexedVolume volume) {
    return !volume.hasClaimRef() && (VolumeFit.AVAILABLE.equals(volume.phase()) || VolumeFit.isNew(volume)) && !volume.deleting();
  }

  public static VolumeIndex of(Collection<PersistentVolume> volumes) {
    return new VolumeIndex(volumes, volume -> {});
  }

  /**
   * Test hook: an index that reports every volume a lookup examines, so a test can prove lookups
   * do not scan. Explanations of failures (which may scan) are not reported.
   */
  static VolumeIndex observed(
      Collection<PersistentVolume> volumes, Consumer<String> examinedVolumeNames) {
    return new VolumeIndex(volumes, volume -> examinedVolumeNames.accept(volume.name()));
  }

  public int size() {
    return byName.size();
  }

  public Optional<PersistentVolume> volume(String name) {
    return indexed(name).map(IndexedVolume::volume);
  }

  Optional<IndexedVolume> indexed(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Volumes whose claimRef names "namespace/name", whatever their uid, in name order. */
  List<IndexedVolume> reservedFor(String claimKey) {
    return byClaimRef.getOrDefault(claimKey, List.of());
  }

  boolean hasStorageClass(String storageClass) {
    return storageClasses.contains(storageClass);
  }

  /** All volumes in name order; for explaining failures only, never for finding a match. */
  Collection<IndexedVolume> all() {
    return inNameOrder;
  }

  /**
   * The volume the rules prefer for {@code claim} among those {@code acceptable} admits: fewest
   * access modes, then smallest capacity, then name. Visits only buckets of the claim's class and
   * volume mode whose access modes cover the claim's, each from the ceiling of the request, and
   * stops at the first access-mode count that yields a volume (fewer modes always win).
   */
  Optional<IndexedVolume> bestFit(ClaimRequest claim, Predicate<IndexedVolume> acceptable) {
    return bestFit(claim, acceptable, null);
  }

  /**
   * As {@link #bestFit(ClaimRequest, Predicate)}, passing over the volumes in {@code taken}
   * (null for none) without visiting them. The caller must only skip volumes {@code acceptable}
   * would refuse anyway.
   */
  Optional<IndexedVolume> bestFit(
      ClaimRequest claim, Predicate<IndexedVolume> acceptable, Taken taken) {
    if (claim.requestBytes() == null) {
      return Optional.empty();
    }
    List<CapacityBucket> candidates =
        buckets.getOrDefault(new ClassAndMode(claim.storageClass(), claim.volumeMode()), List.of());
    IndexedVolume best = null;
    int bestModeCount = Integer.MAX_VALUE;
    for (CapacityBucket bucket : candidates) {
      if (!AccessModes.covers(bucket.accessModes(), claim.accessModes())) {
        continue;
      }
      int modeCount = Integer.bitCount(bucket.accessModes());
      if (modeCount > bestModeCount) {
        break;
      }
      IndexedVolume found =
          bucket.firstAcceptable(
              claim.requestBytes(), acceptable, onVisit, taken == null ? null : taken.in(bucket));
      if (found != null
          && (best == null || IndexedVolume.BY_CAPACITY_THEN_NAME.compare(found, best) < 0)) {
        best = found;
        bestModeCount = modeCount;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A new, empty record of volumes given away, for one pass over this index. */
  Taken newTaken() {
    return new Taken();
  }

  /**
   * Volumes one pass has given away, so that its later lookups pass over them without a visit
   * each: without this, claims of one size would each re-examine every volume earlier claims
   * took, O(n) per lookup. Mutable and confined to the pass; the index itself stays immutable.
   */
  final class Taken {
    private final Map<CapacityBucket, CapacityBucket.Taken> byBucket = new HashMap<>();

    private Taken() {}

    /** Records that {@code volume} of this index is taken; a volume in no bucket is ignored. */
    void add(IndexedVolume volume) {
      for (CapacityBucket bucket :
          buckets.getOrDefault(new ClassAndMode(volume.storageClass(), volume.volumeMode()), List.of())) {
        if (bucket.accessModes() == volume.accessModes()) {
          int position = bucket.positionOf(volume);
          if (position >= 0) {
            byBucket.computeIfAbsent(bucket, CapacityBucket::newTaken).take(position);
          }
          return;
        }
      }
    }

    private CapacityBucket.Taken in(CapacityBucket bucket) {
      return byBucket.get(bucket);
    }
  }
}
