package dev.ordinal.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.spec.SetDefinition;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.ObservedStates;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner trusts its input: only the set's own pods, and its claims found by label or by name. */
class ObservedStateBuilderTest {
  private static final SetDefinition SET = ObservedStates.web(3).definition();

  /** Caches as plain lists; the label lookups filter on the set-name label, as the informers do. */
  private static final class FakeClusterCache implements ClusterCache {
    final List<Pod> pods = new ArrayList<>();
    final List<PersistentVolumeClaim> claims = new ArrayList<>();
    final List<PersistentVolume> volumes = new ArrayList<>();

    @Override
    public Collection<Pod> podsLabelled(String namespace, String setName) {
      return pods.stream().filter(p -> labelled(p.getMetadata().getLabels(), namespace, p.getMetadata().getNamespace(), setName)).toList();
    }

    @Override
    public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
      return claims.stream().filter(c -> namespace.equals(c.getMetadata().getNamespace()) && name.equals(c.getMetadata().getName())).findFirst();
    }

    @Override
    public Collection<PersistentVolumeClaim> claimsLabelled(String namespace, String setName) {
      return claims.stream().filter(c -> labelled(c.getMetadata().getLabels(), namespace, c.getMetadata().getNamespace(), setName)).toList();
    }

    @Override
    public Collection<io.fabric8.kubernetes.api.model.apps.ControllerRevision> revisionsLabelled(String namespace, String setName) {
      return List.of();
    }

    @Override
    public Collection<PersistentVolume> volumes() {
      return volumes;
    }

    @Override
    public Collection<StorageClass> storageClasses() {
      return List.of(Fixtures.storageClass("manual", "kubernetes.io/no-provisioner", "Immediate", false));
    }

    @Override
    public Collection<Node> nodes() {
      return List.of();
    }

    private static boolean labelled(Map<String, String> labels, String namespace, String actualNamespace, String setName) {
      return namespace.equals(actualNamespace) && labels != null && setName.equals(labels.get(dev.ordinal.naming.Labels.SET_NAME));
    }
  }

  private static Pod ours(int ordinal) {
    return ObservedStates.pod(SET, ordinal, "Running", true, ObservedStates.LONG_AGO);
  }

  private static Pod edited(int ordinal, java.util.function.UnaryOperator<PodBuilder> edit) {
    return edit.apply(new PodBuilder(ours(ordinal))).build();
  }

  static Stream<Arguments> foreignPods() {
    return Stream.of(
        arguments("no owner at all", edited(1, b -> b.editMetadata().withOwnerReferences(List.of()).endMetadata())),
        arguments("owned but not controlled by the set", edited(1, b -> b.editMetadata()
            .withOwnerReferences(OwnerRefs.setOwnsClaim(SET.name(), SET.uid())).endMetadata())),
        arguments("controlled by another set of the same name (old uid)", edited(1, b -> b.editMetadata()
            .withOwnerReferences(OwnerRefs.controllerOf(SET.name(), "uid-old")).endMetadata())),
        arguments("controlled by a StatefulSet", edited(1, b -> b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion("apps/v1").withKind("StatefulSet").withName("web").withUid("uid-sts").withController(true).build()).endMetadata())),
        arguments("controlled by the set but named without an ordinal", edited(1, b -> b.editMetadata().withName("web-debug").endMetadata())),
        arguments("controlled by the set but with a zero-padded ordinal", edited(1, b -> b.editMetadata().withName("web-01").endMetadata())));
  }

  @ParameterizedTest(name = "a pod matching the labels is ignored when {0}")
  @MethodSource("foreignPods")
  void foreignPodsAreNotObserved(String behaviour, Pod foreign) {
    FakeClusterCache cache = new FakeClusterCache();
    cache.pods.add(ours(0));
    cache.pods.add(foreign);

    ObservedState state = new ObservedStateBuilder(cache, new dev.ordinal.revision.Revisions(new dev.ordinal.revision.RevisionHash())).observe(SET, null, 0, ObservedStates.NOW);

    assertThat(state.pods().keySet()).containsExactly(0);
    assertThat(state.pods().get(0).getMetadata().getName()).isEqualTo("web-0");
  }

  @Test
  void podsOfTheSetAreKeyedByOrdinalInAndOutOfRange() {
    FakeClusterCache cache = new FakeClusterCache();
    cache.pods.addAll(List.of(ours(4), ours(0), ours(2)));

    ObservedState state = new ObservedStateBuilder(cache, new dev.ordinal.revision.Revisions(new dev.ordinal.revision.RevisionHash())).observe(SET, null, 0, ObservedStates.NOW);

    assertThat(state.pods().keySet()).containsExactly(0, 2, 4);
  }

  @Test
  void claimsAreFoundByLabelAndUnlabelledOnesByName() {
    FakeClusterCache cache = new FakeClusterCache();
    cache.pods.add(ours(7)); // out of range, so its claim is looked up by name too
    cache.claims.add(claim("www-web-0", true, "default"));
    cache.claims.add(claim("www-web-1", false, "default")); // made before the set, as a migrated StatefulSet's
    cache.claims.add(claim("www-web-7", false, "default"));
    cache.claims.add(claim("www-web-5", true, "default")); // labelled, any ordinal
    cache.claims.add(claim("www-web-6", false, "default")); // unlabelled, no pod, out of range: not ours to see
    cache.claims.add(claim("www-web-2", false, "other")); // another namespace
    cache.claims.add(claim("data-web-2", false, "default")); // not a template of this set

    ObservedState state = new ObservedStateBuilder(cache, new dev.ordinal.revision.Revisions(new dev.ordinal.revision.RevisionHash())).observe(SET, null, 0, Instant.EPOCH);

    assertThat(state.claims().keySet()).containsExactlyInAnyOrder("www-web-0", "www-web-1", "www-web-5", "www-web-7");
    assertThat(state.now()).isEqualTo(Instant.EPOCH);
    // no ControllerRevision yet: the update revision is the one to create, named after the template's hash
    assertThat(state.updateRevision()).isEqualTo(new dev.ordinal.revision.RevisionHash()
        .revisionName(SET.name(), SET.template(), 0));
    assertThat(state.revisions().writes()).singleElement().isInstanceOf(dev.ordinal.revision.RevisionWrite.Create.class);
    assertThat(state.storageClasses()).containsKey("manual");
  }

  @Test
  void volumesAreKeyedByName() {
    FakeClusterCache cache = new FakeClusterCache();
    cache.volumes.add(Fixtures.pv("pv-a", "1Gi", "manual"));
    cache.volumes.add(Fixtures.pv("pv-b", "2Gi", "manual"));

    ObservedState state = new ObservedStateBuilder(cache, new dev.ordinal.revision.Revisions(new dev.ordinal.revision.RevisionHash())).observe(SET, null, 0, ObservedStates.NOW);

    assertThat(state.volumes().keySet()).containsExactlyInAnyOrder("pv-a", "pv-b");
  }

  private static PersistentVolumeClaim claim(String name, boolean labelled, String namespace) {
    PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().endSpec();
    if (labelled) {
      b.editMetadata().withLabels(Map.of(dev.ordinal.naming.Labels.SET_NAME, "web")).endMetadata();
    }
    return b.build();
  }
}
