package dev.ordinal.binding;

import dev.ordinal.binding.BindingDecision.AlreadyBound;
import dev.ordinal.binding.BindingDecision.AwaitConsumer;
import dev.ordinal.binding.BindingDecision.AwaitProvisioning;
import dev.ordinal.binding.BindingDecision.CompleteBind;
import dev.ordinal.binding.BindingDecision.Reserve;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for a list of claims, which PersistentVolume each binds to (design 3.6). Pure: it
 * reads the index, the classes and the nodes, and returns decisions for the caller to carry out.
 */
public final class ClaimBinder {
  /** Explaining a failure scans every volume, so only this many per pass get the full story. */
  static final int EXPLAINED_IN_FULL = 10;

  static final String LOST = "Lost";

  /** Among volumes pre-bound to one claim: the same preference as for free volumes. */
  private static final Comparator<IndexedVolume> PREFERRED_FIRST =
      Comparator.comparingInt((IndexedVolume v) -> Integer.bitCount(v.accessModes()))
          .thenComparing(IndexedVolume.BY_CAPACITY_THEN_NAME);

  private final StorageClasses classes;
  private final Map<String, Node> nodesByName;

  public ClaimBinder(StorageClasses classes, Map<String, Node> nodesByName) {
    this.classes = Objects.requireNonNull(classes, "classes");
    this.nodesByName = nodesByName == null ? Map.of() : Map.copyOf(nodesByName);
  }

  /**
   * One decision per claim, in the order given. Claims are decided in that order, and a volume
   * chosen for one claim is not offered to a later one, so no two claims get the same volume.
   */
  public List<BindingDecision> decide(List<ClaimToBind> claims, VolumeIndex index) {
    Pass pass = new Pass(index);
    List<ClaimRequest> requests = claims.stream().map(c -> ClaimRequest.of(c.claim())).toList();
    // A claim that names its volume can have no other, so keep that volume from earlier claims.
    for (ClaimRequest request : requests) {
      if (request.volumeName() != null) {
        pass.takenBy.putIfAbsent(request.volumeName(), request.key());
      }
    }
    List<BindingDecision> decisions = new ArrayList<>(claims.size());
    for (int i = 0; i < claims.size(); i++) {
      decisions.add(pass.decide(requests.get(i), claims.get(i).nodeName()));
    }
    return decisions;
  }

  /** The state of one {@link #decide} call: which volumes are taken, how many were explained. */
  private final class Pass {
    private final VolumeIndex index;
    private final Map<String, String> takenBy = new HashMap<>();
    /** The volumes this pass reserved, for lookups to skip: the same as in takenBy, as positions. */
    private final VolumeIndex.Taken reserved;
    /** Claims that reserved a volume in this pass: a volume taken by a claim still fits that claim. */
    private final Set<String> reservingClaims = new HashSet<>();
    private int explained;

    Pass(VolumeIndex index) {
      this.index = index;
      this.reserved = index.newTaken();
    }

    BindingDecision decide(ClaimRequest claim, String nodeName) {
      if (LOST.equals(claim.phase())) {
        // Its data was on a volume that is gone; binding it elsewhere would hide that.
        return UnbindableExplainer.lost(claim);
      }
      if (claim.volumeName() != null) {
        return decideNamedVolume(claim, nodeName);
      }
      if (VolumeFit.BOUND.equals(claim.phase())) {
        return new AlreadyBound(claim.name(), null);
      }
      boolean waitsForConsumer = classes.isWaitForFirstConsumer(claim.storageClass());
      VolumeFit fit = new VolumeFit(claim, waitsForConsumer ? node(nodeName) : null, takenBy);

      // A volume an admin (or an earlier pass of ours) pre-bound to this claim wins, and the
      // cluster's PV controller binds it even before the consumer is scheduled, so do we.
      Optional<IndexedVolume> preBound =
          index.reservedFor(claim.key()).stream()
              .filter(v -> v.isReservedFor(claim))
              .filter(fit::fits)
              .min(PREFERRED_FIRST);
      if (preBound.isPresent()) {
        return reserve(claim, preBound.get());
      }
      if (waitsForConsumer && nodeName == null) {
        return new AwaitConsumer(claim.name());
      }
      // Skipping reserved volumes is exact: fit::fits refuses a volume another claim took, and
      // a claim that took one itself (a duplicate in the list) gets the plain lookup.
      Optional<IndexedVolume> best =
          index.bestFit(claim, fit::fits, reservingClaims.contains(claim.key()) ? null : reserved);
      if (best.isPresent()) {
        return reserve(claim, best.get());
      }
      if (classes.provisionsDynamically(claim.storageClass())) {
        return new AwaitProvisioning(
            claim.name(), classes.provisioner(claim.storageClass()).orElseThrow());
      }
      if (explained >= EXPLAINED_IN_FULL) {
        return UnbindableExplainer.brief(claim, EXPLAINED_IN_FULL);
      }
      explained++;
      return UnbindableExplainer.explain(claim, fit, index);
    }

    /**
     * A claim with spec.volumeName binds to that volume or to nothing. A Bound claim is never
     * rebound, whoever bound it; a bind half done (the volume's claimRef names the claim) is
     * finished, as the cluster's PV controller would.
     */
    private BindingDecision decideNamedVolume(ClaimRequest claim, String nodeName) {
      Optional<IndexedVolume> named = index.indexed(claim.volumeName());
      if (VolumeFit.BOUND.equals(claim.phase())) {
        return named
            .filter(v -> v.isReservedFor(claim) && !isBindComplete(claim, v))
            .<BindingDecision>map(v -> new CompleteBind(claim.name(), v.volume()))
            .orElseGet(() -> new AlreadyBound(claim.name(), claim.volumeName()));
      }
      if (named.isEmpty()) {
        return UnbindableExplainer.namedVolumeMissing(claim);
      }
      IndexedVolume volume = named.get();
      if (volume.isReservedFor(claim)) {
        return new CompleteBind(claim.name(), volume.volume());
      }
      boolean waitsForConsumer = classes.isWaitForFirstConsumer(claim.storageClass());
      VolumeFit fit = new VolumeFit(claim, waitsForConsumer ? node(nodeName) : null, takenBy);
      List<String> lacks = fit.lacks(volume);
      if (!lacks.isEmpty()) {
        return UnbindableExplainer.namedVolumeUnfit(claim, new VolumeMismatch(volume.name(), lacks));
      }
      return reserve(claim, volume);
    }

    private Reserve reserve(ClaimRequest claim, IndexedVolume volume) {
      takenBy.put(volume.name(), claim.key());
      reserved.add(volume);
      reservingClaims.add(claim.key());
      return new Reserve(claim.name(), volume.volume());
    }

    private Node node(String nodeName) {
      if (nodeName == null) {
        return null;
      }
      Node known = nodesByName.get(nodeName);
      return known != null ? known : NodeAffinityMatcher.assumedNode(nodeName);
    }
  }

  /** Both halves carry the other's identity and the volume says Bound. */
  private static boolean isBindComplete(ClaimRequest claim, IndexedVolume volume) {
    return claim.uid() != null
        && claim.uid().equals(volume.claimRefUid())
        && VolumeFit.BOUND.equals(volume.phase());
  }
}
