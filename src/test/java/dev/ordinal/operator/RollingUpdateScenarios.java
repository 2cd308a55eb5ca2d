package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.RollingUpdate;
import dev.ordinal.api.v1alpha1.UpdateStrategy;
import dev.ordinal.api.v1alpha1.UpdateStrategyType;
import dev.ordinal.naming.Labels;
import dev.ordinal.sandbox.KubeletSimulator.Behaviour;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Harness;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Revisions, partitioned rolling updates, OnDelete and rollback through the real loop (design.md 3.5). */
abstract class RollingUpdateScenarios {
  /** The tier these scenarios run on. */
  protected abstract Harness harness();

  private Cluster ready(int replicas, UpdateStrategy strategy) {
    Cluster c = new Cluster(harness());
    for (int i = 0; i < replicas + 1; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    OrdinalSet set = c.web(replicas);
    set.getSpec().setUpdateStrategy(strategy);
    c.create(set);
    for (int i = 0; i < replicas; i++) {
      c.awaitReady("web-" + i);
    }
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.set("web").getStatus().getCurrentRevision()).isNotNull().isEqualTo(c.set("web").getStatus().getUpdateRevision()));
    return c;
  }

  /** As the seeds do it: a JSON patch replacing the first container's image. */
  private static void setImage(Cluster c, String image) {
    c.client().resources(OrdinalSet.class).inNamespace(c.ns()).withName("web").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]");
  }

  /** The pod's image, or null while it is gone (between a replacement's delete and create). */
  private static String image(Cluster c, String pod) {
    var p = c.pod(pod);
    return p == null ? null : p.getSpec().getContainers().get(0).getImage();
  }

  private static void awaitImages(Cluster c, String image, String... pods) {
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      for (String p : pods) {
        var pod = c.pod(p);
        assertThat(pod).as(p).isNotNull();
        assertThat(pod.getSpec().getContainers().get(0).getImage()).as(p + " image").isEqualTo(image);
        assertThat(c.isReady(p)).as(p + " ready").isTrue();
      }
    });
  }

  @Test
  void imageChangeRollsFromTheHighestOrdinalDownOneAtATime() {
    Cluster c = ready(3, null);
    String before = c.set("web").getStatus().getUpdateRevision();
    try (var events = c.recordPodEvents()) {
      setImage(c, "nginx:1.27");
      awaitImages(c, "nginx:1.27", "web-0", "web-1", "web-2");
      // the watch first replays the three existing pods as ADDED
      List<String> seen = events.seen().subList(3, events.seen().size());
      assertThat(seen).containsSubsequence("-web-2", "+web-2", "-web-1", "+web-1", "-web-0", "+web-0");
      assertThat(seen.stream().filter(e -> e.startsWith("-")).toList()).containsExactly("-web-2", "-web-1", "-web-0");
    }
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      var status = c.set("web").getStatus();
      assertThat(status.getUpdateRevision()).isNotEqualTo(before);
      assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
      assertThat(status.getUpdatedReplicas()).isEqualTo(3);
    });
    assertThat(c.pod("web-0").getMetadata().getLabels().get(Labels.REVISION_HASH)).isEqualTo(c.set("web").getStatus().getUpdateRevision());
  }

  @Test
  void maxUnavailableTwoReplacesTwoPodsAtOnce() {
    Cluster c = ready(4, new UpdateStrategy(UpdateStrategyType.RollingUpdate, new RollingUpdate(0, new IntOrString(2))));
    try (var events = c.recordPodEvents()) {
      setImage(c, "nginx:1.27");
      awaitImages(c, "nginx:1.27", "web-0", "web-1", "web-2", "web-3");
      List<String> changes = events.seen().subList(4, events.seen().size());
      assertThat(changes.subList(0, 2)).containsExactlyInAnyOrder("-web-3", "-web-2");
      assertThat(changes.stream().filter(e -> e.startsWith("-")).toList()).containsExactly("-web-3", "-web-2", "-web-1", "-web-0");
    }
  }

  @Test
  void partitionUpdatesOnlyOrdinalsAtOrAboveItAndLowerOrdinalsComeBackOnTheOldRevision() {
    Cluster c = ready(3, new UpdateStrategy(UpdateStrategyType.RollingUpdate, new RollingUpdate(2, null)));
    setImage(c, "nginx:1.27");
    awaitImages(c, "nginx:1.27", "web-2");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(image(c, "web-0")).isEqualTo("nginx:1.9.1");
      assertThat(image(c, "web-1")).isEqualTo("nginx:1.9.1");
    });
    var status = c.set("web").getStatus();
    assertThat(status.getCurrentRevision()).isNotEqualTo(status.getUpdateRevision());
    assertThat(status.getUpdatedReplicas()).isEqualTo(1);
    assertThat(status.getCurrentReplicas()).isEqualTo(2);
    String uid = c.pod("web-0").getMetadata().getUid();
    c.client().pods().inNamespace(c.ns()).withName("web-0").delete();
    await().atMost(Cluster.TIMEOUT).until(() -> {
      var pod = c.pod("web-0");
      return pod != null && !uid.equals(pod.getMetadata().getUid());
    });
    awaitImages(c, "nginx:1.9.1", "web-0");
    assertThat(c.pod("web-0").getMetadata().getLabels().get(Labels.REVISION_HASH)).isEqualTo(status.getCurrentRevision());
  }

  @Test
  void partitionAboveReplicasUpdatesNothing() {
    Cluster c = ready(2, new UpdateStrategy(UpdateStrategyType.RollingUpdate, new RollingUpdate(5, null)));
    setImage(c, "nginx:1.27");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(image(c, "web-0")).isEqualTo("nginx:1.9.1");
      assertThat(image(c, "web-1")).isEqualTo("nginx:1.9.1");
    });
  }

  @Test
  void partitionedRolloutSurvivesScalingToZeroAndBack() {
    Cluster c = ready(4, new UpdateStrategy(UpdateStrategyType.RollingUpdate, new RollingUpdate(2, null)));
    c.createPv("pv-extra", "1Gi");
    setImage(c, "nginx:1.27");
    awaitImages(c, "nginx:1.27", "web-2", "web-3");
    c.scale("web", 0);
    await().atMost(Cluster.TIMEOUT).until(() -> c.podNames().isEmpty());
    c.scale("web", 4);
    awaitImages(c, "nginx:1.9.1", "web-0", "web-1");
    awaitImages(c, "nginx:1.27", "web-2", "web-3");
  }

  @Test
  void onDeleteReplacesNothingUntilAPodIsDeleted() {
    Cluster c = ready(2, new UpdateStrategy(UpdateStrategyType.OnDelete, null));
    setImage(c, "nginx:1.27");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(image(c, "web-0")).isEqualTo("nginx:1.9.1");
      assertThat(image(c, "web-1")).isEqualTo("nginx:1.9.1");
    });
    c.client().pods().inNamespace(c.ns()).withName("web-0").delete();
    awaitImages(c, "nginx:1.27", "web-0");
    assertThat(image(c, "web-1")).isEqualTo("nginx:1.9.1");
  }

  @Test
  void rollbackReusesTheEarlierRevisionAndBumpsItsNumber() {
    Cluster c = ready(2, null);
    String first = c.set("web").getStatus().getUpdateRevision();
    setImage(c, "nginx:1.27");
    awaitImages(c, "nginx:1.27", "web-0", "web-1");
    setImage(c, "nginx:1.9.1");
    awaitImages(c, "nginx:1.9.1", "web-0", "web-1");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      assertThat(c.set("web").getStatus().getUpdateRevision()).isEqualTo(first);
      List<ControllerRevision> revisions = revisions(c);
      assertThat(revisions).hasSize(2);
      assertThat(revisions.get(revisions.size() - 1).getMetadata().getName()).isEqualTo(first);
      assertThat(revisions.get(revisions.size() - 1).getRevision()).isEqualTo(3L);
    });
  }

  @Test
  void historyIsTrimmedToTheLimit() {
    Cluster c = new Cluster(harness());
    c.createPv("pv-0", "1Gi");
    OrdinalSet set = c.web(1);
    set.getSpec().setRevisionHistoryLimit(1);
    c.create(set);
    c.awaitReady("web-0");
    for (String image : List.of("nginx:1.25", "nginx:1.26", "nginx:1.27")) {
      setImage(c, image);
      awaitImages(c, image, "web-0");
    }
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      List<ControllerRevision> revisions = revisions(c);
      // the live revision plus at most one more in history
      assertThat(revisions).hasSizeLessThanOrEqualTo(2);
      assertThat(revisions).extracting(r -> r.getMetadata().getName()).contains(c.set("web").getStatus().getUpdateRevision());
    });
  }

  @Test
  void stuckRolloutHaltsAndSaysWhichPodThenARevertReplacesItWithoutManualDelete() {
    Cluster c = ready(3, null);
    harness().kubelet().behaveForImage("nginx:broken", Behaviour.STAY_UNREADY);
    setImage(c, "nginx:broken");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() -> {
      assertThat(c.pod("web-2")).isNotNull();
      assertThat(image(c, "web-2")).isEqualTo("nginx:broken");
      assertThat(c.condition("web", "Progressing")).hasValueSatisfying(cond -> {
        assertThat(cond.getStatus()).isEqualTo("False");
        assertThat(cond.getMessage()).contains("web-2");
      });
    });
    assertThat(image(c, "web-1")).isEqualTo("nginx:1.9.1");
    assertThat(image(c, "web-0")).isEqualTo("nginx:1.9.1");
    setImage(c, "nginx:1.9.1");
    awaitImages(c, "nginx:1.9.1", "web-0", "web-1", "web-2");
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.condition("web", "Progressing")).hasValueSatisfying(cond -> assertThat(cond.getStatus()).isEqualTo("True")));
  }

  private static List<ControllerRevision> revisions(Cluster c) {
    return c.client().apps().controllerRevisions().inNamespace(c.ns()).withLabel(Labels.SET_NAME, "web").list().getItems().stream()
        .sorted(Comparator.comparing(ControllerRevision::getRevision)).toList();
  }
}
