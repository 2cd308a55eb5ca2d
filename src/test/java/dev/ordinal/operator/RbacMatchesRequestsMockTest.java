package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.PersistentVolumeClaimRetentionPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.sandbox.KubeletSimulator.Behaviour;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.Fixtures;
import dev.ordinal.testing.OperatorHarness;
import dev.ordinal.testing.RequestRecorder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.VolumeNodeAffinityBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every request the real operator makes in a representative scenario is granted by
 * src/test/resources/rbac/required-permissions.yaml (which the chart grants, see ChartRbacTest), and
 * every permission there is either used or listed below with the reason it is still needed.
 */
class RbacMatchesRequestsMockTest {
  @RegisterExtension
  static final OperatorHarness harness = OperatorHarness.withoutOperator().answeringAccessReviews();

  static final Path PERMISSIONS = Path.of("src/test/resources/rbac/required-permissions.yaml");

  /** Granted but not exercised by the scenario: group/resource:verb and why it stays. */
  static final Map<String, String> GRANTED_BUT_UNUSED = new TreeMap<>(Map.ofEntries(
      Map.entry("apps/controllerrevisions:delete",
          "history trimming (revisionHistoryLimit): exercised by RollingUpdateMockTest, not by this scenario"),
      Map.entry("apps/controllerrevisions:get",
          "fabric8 reads a revision before the merge patch that renumbers it on rollback: RollingUpdateRealTest, where a real API server enforces it"),
      Map.entry("core/persistentvolumes:get",
          "the fresh read after a conflict with the cluster's PV binder (ClusterDidIt): the mock has no binder, the real tier does"),
      Map.entry("apps/controllerrevisions:patch",
          "renumbering a revision on rollback: exercised by RollingUpdateMockTest, not by this scenario"),
      Map.entry("coordination.k8s.io/leases:update",
          "required: JOSDK's LeaderElectionManager refuses to start unless the SelfSubjectRulesReview shows create, update and get on leases"),
      Map.entry("ordinal.dev/ordinalsets:get",
          "JOSDK re-reads the primary in some retry paths; not reached by this scenario"),
      Map.entry("apps/statefulsets/finalizers:update",
          "OwnerReferencesPermissionEnforcement: claims of a StatefulSet in storage mode carry it as owner with blockOwnerDeletion"),
      Map.entry("ordinal.dev/ordinalsets/finalizers:update",
          "OpenShift's OwnerReferencesPermissionEnforcement: setting blockOwnerDeletion on pods needs update on the owner's finalizers")));

  /** Requests RBAC does not need to grant through the chart. */
  static final Map<String, String> NOT_CHART_RBAC = Map.of(
      "authorization.k8s.io/selfsubjectrulesreviews:create",
      "JOSDK's leader election checks its Lease access with a SelfSubjectRulesReview; every authenticated user may create one (ClusterRole system:basic-user)");

  @Test
  void operatorRequestsMatchTheGrantedPermissions() throws Exception {
    Cluster c = new Cluster(harness);
    RequestRecorder recorder = new RequestRecorder();
    KubernetesClient operatorClient = harness.newClient(recorder::install);
    OrdinalOperator operator = OrdinalOperator.create(operatorClient,
        OperatorConfig.local(Set.of()).withLeaderElection(c.ns(), "ordinal-operator-leader"), new SimpleMeterRegistry(), Instant::now);
    try {
      operator.start();
      await().atMost(Cluster.TIMEOUT).until(operator::isLeader);
      scenario(c);
    } finally {
      recorder.stop();
      operator.close();
      operatorClient.close();
    }

    Map<String, Set<String>> granted = granted();
    Set<String> used = new TreeSet<>();
    Set<String> nonResource = new TreeSet<>();
    for (RequestRecorder.Request r : recorder.requests()) {
      r.access().ifPresentOrElse(a -> used.add(a.key()), () -> nonResource.add(r.method() + " " + r.uri().getPath()));
    }
    System.out.println("[rbac] used: " + used);
    System.out.println("[rbac] non-resource: " + nonResource);
    Set<String> grantedKeys = granted.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> e.getKey() + ":" + v)).collect(Collectors.toCollection(TreeSet::new));
    Set<String> unused = new TreeSet<>(grantedKeys);
    unused.removeAll(used);
    System.out.println("[rbac] granted but unused: " + unused);

    assertThat(nonResource).as("non-resource URLs (discovery) the operator requested").isEmpty();
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(grantedKeys);
    missing.removeAll(NOT_CHART_RBAC.keySet());
    assertThat(missing).as("requests the chart's RBAC would forbid").isEmpty();
    assertThat(unused).as("granted permissions neither exercised nor explained in GRANTED_BUT_UNUSED")
        .containsExactlyInAnyOrderElementsOf(GRANTED_BUT_UNUSED.keySet());
  }

  private static void scenario(Cluster c) {
    for (int i = 0; i < 5; i++) {
      c.createPv("pv-" + i, "1Gi");
    }
    OrdinalSet web = c.web(3);
    web.getSpec().setPersistentVolumeClaimRetentionPolicy(new PersistentVolumeClaimRetentionPolicy(RetentionPolicyType.Delete, RetentionPolicyType.Delete));
    c.create(web);
    c.awaitReady("web-0", "web-1", "web-2");
    c.awaitBound("www-web-0", "www-web-1", "www-web-2");
    // scale up and down
    c.scale("web", 4);
    c.awaitReady("web-3");
    c.scale("web", 2);
    await().atMost(Cluster.TIMEOUT).until(() -> c.pod("web-2") == null && c.pod("web-3") == null);
    // a deleted pod comes back
    String uid = c.pod("web-0").getMetadata().getUid();
    c.client().pods().inNamespace(c.ns()).withName("web-0").delete();
    await().atMost(Cluster.TIMEOUT).until(() -> replaced(c, "web-0", uid));
    c.awaitReady("web-0");
    // a failing pod is replaced
    String uid1 = c.pod("web-1").getMetadata().getUid();
    harness.kubelet().behave(c.ns(), "web-1", Behaviour.FAIL);
    await().atMost(Cluster.TIMEOUT).until(() -> replaced(c, "web-1", uid1));
    harness.kubelet().heal(c.ns(), "web-1");
    c.awaitReady("web-1");
    // WaitForFirstConsumer: bound once the pod has a node
    String cls = "wffc-" + c.ns();
    c.client().storage().v1().storageClasses().resource(Fixtures.storageClass(cls, "kubernetes.io/no-provisioner", "WaitForFirstConsumer", false)).create();
    var local = Fixtures.pv(c.pvName("pv-local"), "1Gi", cls);
    local.getSpec().setNodeAffinity(new VolumeNodeAffinityBuilder().withNewRequired().addNewNodeSelectorTerm()
        .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("kubernetes.io/hostname").withOperator("In").withValues("sandbox-node").build())
        .endNodeSelectorTerm().endRequired().build());
    c.client().persistentVolumes().resource(local).create();
    OrdinalSet wf = Fixtures.set(c.ns(), "wf", 1, cls, "1Gi");
    wf.getSpec().getSelector().setMatchLabels(Map.of("app", "wf"));
    wf.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "wf"));
    c.create(wf);
    c.awaitReady("wf-0");
    c.awaitBound("www-wf-0");
    // the set goes away (whenDeleted: Delete; the cluster's garbage collector would remove the claims)
    c.client().resources(OrdinalSet.class).inNamespace(c.ns()).withName("web").delete();
    await().atMost(Cluster.TIMEOUT).until(() -> c.set("web") == null);
    // an invalid spec is reported with an Event
    OrdinalSet bad = Fixtures.set(c.ns(), "bad", 1, c.storageClass(), "1Gi");
    bad.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "other"));
    c.create(bad);
    await().atMost(Cluster.TIMEOUT).untilAsserted(() ->
        assertThat(c.events()).anySatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("bad")));
  }

  private static boolean replaced(Cluster c, String pod, String oldUid) {
    var p = c.pod(pod);
    return p != null && !oldUid.equals(p.getMetadata().getUid());
  }

  /** group/resource -> verbs, from required-permissions.yaml ("core" for the core group). */
  static Map<String, Set<String>> granted() throws Exception {
    Map<String, Set<String>> granted = new TreeMap<>();
    for (JsonNode rule : new YAMLMapper().readTree(PERMISSIONS.toFile())) {
      String group = rule.get("apiGroup").asText();
      String key = (group.isEmpty() ? "core" : group) + "/" + rule.get("resource").asText();
      Set<String> verbs = granted.computeIfAbsent(key, k -> new TreeSet<>());
      rule.get("verbs").forEach(v -> verbs.add(v.asText()));
    }
    return granted;
  }
}
