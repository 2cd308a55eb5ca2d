package dev.ordinal.planning;

import dev.ordinal.binding.BindWrites;
import dev.ordinal.binding.BindingDecision;
import dev.ordinal.binding.ClaimBinder;
import dev.ordinal.binding.ClaimToBind;
import dev.ordinal.binding.StorageClasses;
import dev.ordinal.binding.VolumeIndex;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a set's new claims and its pending ones in a single binder call, so that no volume is
 * promised twice, and says why a claim stays Pending. Shared by the OrdinalSet planner and the
 * StatefulSet storage planner: both bind by the same rules.
 */
final class ClaimBindingPass {
  /** A claim the plan creates for an ordinal. */
  record NewClaim(int ordinal, PersistentVolumeClaim claim) {}

  /**
   * @param actions claim creations and binds, in ordinal order
   * @param stuck the first claim that cannot bind, as the reason its pod cannot start
   */
  record Result(List<Action> actions, List<EventNote> events, List<String> waits, List<String> storageProblems, Optional<String> stuck) {}

  private final ObservedState state;
  private final SetDefinition set;
  private final List<Action> actions = new ArrayList<>();
  private final List<EventNote> events = new ArrayList<>();
  private final List<String> waits = new ArrayList<>();
  private final List<String> storageProblems = new ArrayList<>();
  private Optional<String> stuck = Optional.empty();

  private ClaimBindingPass(ObservedState state) {
    this.state = state;
    this.set = state.set();
  }

  static Result plan(ObservedState state, List<NewClaim> newClaims) {
    ClaimBindingPass pass = new ClaimBindingPass(state);
    pass.bind(newClaims);
    return new Result(pass.actions, pass.events, pass.waits, pass.storageProblems, pass.stuck);
  }

  /** A claim to bind, with the ordinal it belongs to and whether this plan creates it. */
  private record Candidate(int ordinal, ClaimToBind claim, boolean isNew) {}

  private void bind(List<NewClaim> newClaims) {
    List<Candidate> candidates = new ArrayList<>();
    for (NewClaim n : newClaims) {
      candidates.add(new Candidate(n.ordinal(), new ClaimToBind(n.claim(), null), true));
    }
    for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
      for (String template : set.claimTemplateNames()) {
        PersistentVolumeClaim claim = state.claims().get(OrdinalNames.claimName(template, set.name(), ordinal));
        if (claim != null && claim.getMetadata().getDeletionTimestamp() == null && !OrdinalPlanner.ClaimState.isSettled(claim, state.volumes())) {
          Pod pod = state.pods().get(ordinal);
          String node = pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName();
          candidates.add(new Candidate(ordinal, new ClaimToBind(claim, node), false));
        }
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    // Ordinal order, new and pending claims alike (a stable sort keeps template order within an
    // ordinal): the lowest ordinal chooses first, whoever created its claim.
    candidates.sort(java.util.Comparator.comparingInt(Candidate::ordinal));
    List<ClaimToBind> toBind = candidates.stream().map(Candidate::claim).toList();
    ClaimBinder binder = new ClaimBinder(new StorageClasses(state.storageClasses()), state.nodes());
    java.util.Set<String> reclaimed = new java.util.TreeSet<>();
    Map<String, PersistentVolume> volumes = VolumeReuse.volumesForBinding(set, state.volumes(),
        toBind.stream().map(ClaimToBind::claim).toList(), reclaimed);
    List<BindingDecision> decisions = binder.decide(toBind, VolumeIndex.of(volumes.values()));
    for (String volume : reclaimed) {
      events.add(new EventNote(EventNote.Involved.of(set), EventNote.Type.Normal, "ReusingVolume",
          "volume " + volume + " is Released and was last bound to a claim of the same name; giving it back (volumeReuse SameOrdinal)"));
    }
    for (int i = 0; i < decisions.size(); i++) {
      Candidate c = candidates.get(i);
      apply(decisions.get(i), c.claim().claim(), c.ordinal(), c.isNew());
    }
  }

  private void apply(BindingDecision decision, PersistentVolumeClaim claim, int ordinal, boolean isNew) {
    String ns = set.namespace();
    String name = claim.getMetadata().getName();
    switch (decision) {
      case BindingDecision.Reserve r -> {
        if (isNew) {
          actions.add(new Action.CreateClaim(ordinal, BindWrites.naming(claim, r.volume().getMetadata().getName()),
              Optional.of(BindWrites.reserved(r.volume(), ns, name, null))));
        } else {
          actions.add(new Action.BindClaim(ordinal, claim,
              BindWrites.reserved(r.volume(), ns, name, claim.getMetadata().getUid())));
        }
        waits.add("binding claim " + name + " to volume " + r.volume().getMetadata().getName());
      }
      case BindingDecision.CompleteBind c -> {
        actions.add(new Action.CompleteBind(ordinal, claim, c.volume()));
        waits.add("completing bind of claim " + name + " to volume " + c.volume().getMetadata().getName());
      }
      case BindingDecision.AlreadyBound b -> {
        if (isNew) {
          actions.add(new Action.CreateClaim(ordinal, claim, Optional.empty()));
        }
      }
      case BindingDecision.AwaitConsumer a -> {
        createIfNew(claim, ordinal, isNew);
        waits.add("claim " + name + " waits for its pod to be scheduled (WaitForFirstConsumer)");
      }
      case BindingDecision.AwaitProvisioning p -> {
        createIfNew(claim, ordinal, isNew);
        waits.add("claim " + name + " waits for provisioner " + p.provisioner());
      }
      case BindingDecision.Unbindable u -> {
        createIfNew(claim, ordinal, isNew);
        storageProblems.add(u.message());
        waits.add("claim " + name + " is Pending");
        if (stuck.isEmpty()) {
          stuck = Optional.of(OrdinalNames.podName(set.name(), ordinal) + " cannot start: claim " + name + " cannot bind");
        }
        if (!isNew) {
          events.add(new EventNote(
              new EventNote.Involved("v1", "PersistentVolumeClaim", ns, name, claim.getMetadata().getUid()),
              EventNote.Type.Warning, EventNote.FAILED_BINDING, u.message()));
        }
      }
    }
  }

  private void createIfNew(PersistentVolumeClaim claim, int ordinal, boolean isNew) {
    if (isNew) {
      actions.add(new Action.CreateClaim(ordinal, claim, Optional.empty()));
    }
  }
}
