package dev.ordinal.planning;

import dev.ordinal.api.v1alpha1.VolumeClaimStatus;
import dev.ordinal.binding.StorageClasses;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.observe.ObservedState;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The storage half of an apps/v1 StatefulSet in storage mode (pure: no client, no clock). The
 * cluster's StatefulSet controller keeps the pods; this plan never touches a pod, a revision or an
 * owner reference of an existing claim. It creates the claims of every desired ordinal ahead of
 * that controller, binds them and the ones it created first by the OrdinalSet rules, explains a
 * Pending claim on the claim and on the set, and grows claims in place, highest ordinal first,
 * when the templates ask for more. A template change it cannot apply (a shrink, another class)
 * is refused with a Warning and no claim is resized at all.
 */
public final class StatefulSetStoragePlanner {
  public static final String CLAIM_CHANGE_REFUSED = "ClaimChangeRefused";
  public static final String RESIZING_CLAIM = "ResizingClaim";

  public OrdinalPlan plan(ObservedState state) {
    SetDefinition set = state.set();
    List<ClaimBindingPass.NewClaim> newClaims = new ArrayList<>();
    Optional<String> defaultClass = StorageClasses.defaultClassName(state.storageClasses().values());
    for (int ordinal = set.start(); ordinal < set.endExclusive(); ordinal++) {
      for (PersistentVolumeClaim template : set.claimTemplates()) {
        String name = OrdinalNames.claimName(template.getMetadata().getName(), set.name(), ordinal);
        if (!state.claims().containsKey(name)) {
          newClaims.add(new ClaimBindingPass.NewClaim(ordinal, ClaimFactory.newStatefulSetClaim(set, template, ordinal, defaultClass)));
        }
      }
    }
    ClaimBindingPass.Result binding = ClaimBindingPass.plan(state, newClaims);
    ClaimResizing.Result resizing = ClaimResizing.plan(state, false);

    List<Action> actions = new ArrayList<>(binding.actions());
    List<EventNote> events = new ArrayList<>(binding.events());
    // Volumes this plan binds are left to the binding; the rest may need a write of their own.
    actions.addAll(VolumeReservations.holdForReuse(state, boundHere(binding.actions()), events));
    actions.addAll(VolumeReservations.releaseStranded(state));
    List<String> waits = new ArrayList<>(binding.waits());
    EventNote.Involved onSet = EventNote.Involved.of(set);
    for (String problem : binding.storageProblems()) {
      // The set's own Event too: `kubectl describe statefulset` is where people look first.
      events.add(new EventNote(onSet, EventNote.Type.Warning, EventNote.FAILED_BINDING, problem));
    }
    List<VolumeClaimStatus> progress = resizing.progress();
    if (resizing.refusals().isEmpty()) {
      actions.addAll(resizing.actions());
      waits.addAll(resizing.waits());
      for (Action action : resizing.actions()) {
        if (action instanceof Action.ResizeClaim r) {
          events.add(new EventNote(onSet, EventNote.Type.Normal, RESIZING_CLAIM, "expanding claim " + r.claimName() + " to "
              + r.storage() + "; " + waiting(progress) + " more claims wait, highest ordinal first"));
        }
      }
    } else {
      for (String refusal : resizing.refusals()) {
        events.add(new EventNote(onSet, EventNote.Type.Warning, CLAIM_CHANGE_REFUSED, refusal + "; no claim of this set is changed"));
      }
    }
    return new OrdinalPlan(actions, events, waits, binding.stuck(), binding.storageProblems(), Optional.empty(),
        resizing.refusals(), progress);
  }

  private static java.util.Set<String> boundHere(List<Action> actions) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Action a : actions) {
      switch (a) {
        case Action.CreateClaim c -> c.reserve().ifPresent(v -> names.add(v.getMetadata().getName()));
        case Action.BindClaim b -> names.add(b.volume().getMetadata().getName());
        case Action.CompleteBind c -> names.add(c.volume().getMetadata().getName());
        default -> { }
      }
    }
    return names;
  }

  private static long waiting(List<VolumeClaimStatus> progress) {
    return progress.stream().filter(p -> ClaimResizing.WAITING.equals(p.getState())).count();
  }
}
