package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChartTemplateTest {
  private static final List<String> OPERATOR_ENV =
      List.of(
          "POD_NAME",
          "POD_NAMESPACE",
          "ORDINAL_WATCH_NAMESPACES",
          "ORDINAL_LEADER_ELECTION",
          "ORDINAL_LEADER_ELECTION_NAMESPACE",
          "ORDINAL_LEADER_ELECTION_LEASE",
          "ORDINAL_HTTP_PORT",
          "ORDINAL_LOG_FORMAT",
          "ORDINAL_LOG_LEVEL",
          "ORDINAL_STATEFULSET_STORAGE");

  @Test
  void defaultValuesRenderTheClusterWideOperatorWithoutServiceMonitor() {
    List<Chart.Document> documents = Chart.template();

    assertThat(Rendered.kinds(documents))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Service",
            "Deployment");
    assertThat(documents)
        .filteredOn(document -> !document.kind().startsWith("Cluster"))
        .allSatisfy(document -> assertThat(document.namespace()).isEqualTo(Chart.NAMESPACE));
  }

  @Test
  void defaultDeploymentRunsNonRootWithReadOnlyRootAndNoCapabilities() {
    PodSpec pod = Rendered.one(Chart.template(), Deployment.class).getSpec().getTemplate().getSpec();
    Container operator = onlyContainer(pod);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(operator.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(operator.getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    assertThat(pod.getVolumes())
        .singleElement()
        .satisfies(
            volume -> {
              assertThat(volume.getName()).isEqualTo("tmp");
              assertThat(volume.getEmptyDir()).isNotNull();
            });
    assertThat(operator.getVolumeMounts())
        .singleElement()
        .satisfies(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
  }

  @Test
  void defaultDeploymentProbesHealthAndReadinessOnTheHttpPort() {
    Deployment deployment = Rendered.one(Chart.template(), Deployment.class);
    Container operator = onlyContainer(deployment.getSpec().getTemplate().getSpec());

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/ordinal-dev/ordinal-operator:0.1.0");
    assertThat(operator.getArgs()).as("the image entrypoint already says run").isNullOrEmpty();
    assertThat(operator.getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getName()).isEqualTo("http");
              assertThat(port.getContainerPort()).isEqualTo(8080);
            });
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(operator.getLivenessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
    assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
  }

  @Test
  void defaultDeploymentConfiguresTheOperatorThroughItsEnvironmentVariables() {
    Deployment deployment = Rendered.one(Chart.template(), Deployment.class);
    Container operator = onlyContainer(deployment.getSpec().getTemplate().getSpec());

    assertThat(operator.getEnv()).extracting(EnvVar::getName).containsExactlyElementsOf(OPERATOR_ENV);
    assertThat(env(operator))
        .containsEntry("ORDINAL_WATCH_NAMESPACES", "")
        .containsEntry("ORDINAL_LEADER_ELECTION", "true")
        .containsEntry("ORDINAL_LEADER_ELECTION_NAMESPACE", Chart.NAMESPACE)
        .containsEntry("ORDINAL_LEADER_ELECTION_LEASE", "ordinal-operator-leader")
        .containsEntry("ORDINAL_HTTP_PORT", "8080")
        .containsEntry("ORDINAL_LOG_FORMAT", "text")
        .containsEntry("ORDINAL_LOG_LEVEL", "info")
        .containsEntry("ORDINAL_STATEFULSET_STORAGE", "true");
    EnvVar podNamespace =
        operator.getEnv().stream().filter(e -> e.getName().equals("POD_NAMESPACE")).findFirst().orElseThrow();
    assertThat(podNamespace.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    assertThat(deployment.getSpec().getStrategy()).as("rolling update: the lease keeps one leader").isNull();
  }

  @Test
  void metricsServiceSelectsTheOperatorPodOnTheHttpPort() {
    List<Chart.Document> documents = Chart.template();
    Deployment deployment = Rendered.one(documents, Deployment.class);
    Service service = Rendered.one(documents, Service.class);

    assertThat(service.getMetadata().getName()).isEqualTo("ordinal-operator-metrics");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getName()).isEqualTo("http");
              assertThat(port.getPort()).isEqualTo(8080);
              assertThat(port.getTargetPort()).isEqualTo(new IntOrString("http"));
            });
  }

  @Test
  void serviceAccountIsBoundToTheClusterRole() {
    List<Chart.Document> documents = Chart.template();
    ServiceAccount account = Rendered.one(documents, ServiceAccount.class);
    ClusterRoleBinding binding = Rendered.one(documents, ClusterRoleBinding.class);
    Deployment deployment = Rendered.one(documents, Deployment.class);

    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
            });
  }

  @Test
  void namespacedScopeCreatesARoleAndBindingInEachWatchedNamespace() {
    List<Chart.Document> documents = Chart.templateWith("helm/namespaced-values.yaml");

    List<Role> roles = Rendered.all(documents, Role.class);
    List<RoleBinding> bindings = Rendered.all(documents, RoleBinding.class);
    assertThat(roles)
        .extracting(role -> role.getMetadata().getNamespace() + "/" + role.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "team-a/ordinal-operator",
            "team-b/ordinal-operator",
            "ordinal-system/ordinal-operator-leader-election");
    assertThat(bindings)
        .extracting(b -> b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName())
        .containsExactlyInAnyOrder(
            "team-a/ordinal-operator",
            "team-b/ordinal-operator",
            "ordinal-system/ordinal-operator-leader-election");
    assertThat(bindings)
        .flatExtracting(RoleBinding::getSubjects)
        .allSatisfy(
            subject -> {
              assertThat(subject.getName()).isEqualTo("ordinal-operator");
              assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
            });
  }

  @Test
  void nonDefaultValuesReachTheDeployment() {
    List<Chart.Document> documents = Chart.templateWith("helm/namespaced-values.yaml");
    Deployment deployment = Rendered.one(documents, Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = onlyContainer(pod);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(operator.getImage()).isEqualTo("registry.example.com/team/ordinal-operator:1.2.3-test");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("regcred");
    assertThat(env(operator))
        .containsEntry("ORDINAL_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("ORDINAL_LOG_FORMAT", "json")
        .containsEntry("ORDINAL_LOG_LEVEL", "debug")
        .containsEntry("ORDINAL_HTTP_PORT", "9090")
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=2");
    assertThat(operator.getPorts().get(0).getContainerPort()).isEqualTo(9090);
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations()).extracting("key").containsExactly("dedicated");
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("example.com/scrape", "true");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("example.com/team", "platform");
    assertThat(Rendered.one(documents, Service.class).getSpec().getPorts().get(0).getPort())
        .isEqualTo(9091);
  }

  @Test
  void serviceMonitorIsRenderedOnlyWhenEnabled() {
    assertThat(Rendered.kinds(Chart.template())).doesNotContain("ServiceMonitor");

    List<Chart.Document> documents = Chart.templateWith("helm/namespaced-values.yaml");
    Chart.Document monitor =
        documents.stream().filter(d -> d.kind().equals("ServiceMonitor")).findFirst().orElseThrow();
    Service service = Rendered.one(documents, Service.class);

    assertThat(monitor.tree().path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.tree().at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.tree().at("/spec/endpoints/0/port").asText())
        .isEqualTo(service.getSpec().getPorts().get(0).getName());
    assertThat(monitor.tree().at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    assertThat(monitor.tree().at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
    assertThat(monitor.tree().at("/spec/endpoints/0/scrapeTimeout").asText()).isEqualTo("10s");
    assertThat(monitor.tree().at("/spec/namespaceSelector/matchNames/0").asText())
        .isEqualTo(Chart.NAMESPACE);
    monitor
        .tree()
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            label ->
                assertThat(service.getMetadata().getLabels())
                    .containsEntry(label.getKey(), label.getValue().asText()));
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseRoleAndRolloutsRecreate() {
    List<Chart.Document> documents = Chart.templateWith("helm/no-leader-election-values.yaml");
    Deployment deployment = Rendered.one(documents, Deployment.class);

    assertThat(Rendered.kinds(documents)).doesNotContain("Role", "RoleBinding");
    assertThat(env(onlyContainer(deployment.getSpec().getTemplate().getSpec())))
        .containsEntry("ORDINAL_LEADER_ELECTION", "false")
        .containsEntry("ORDINAL_WATCH_NAMESPACES", "apps");
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
  }

  @Test
  void rbacAndServiceAccountCanBeManagedOutsideTheChart() {
    List<Chart.Document> documents =
        Chart.template(
            List.of(),
            Chart.sets("rbac.create", false, "serviceAccount.create", false, "serviceAccount.name", "ops-sa"));

    assertThat(Rendered.kinds(documents)).containsExactlyInAnyOrder("Service", "Deployment");
    assertThat(Rendered.one(documents, Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("ops-sa");
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(Chart.sets("rbac.scope", "namespaced"), "rbac.scope=namespaced needs watchNamespaces"),
        Arguments.of(Chart.sets("rbac.scope", "everywhere"), "rbac.scope must be"),
        Arguments.of(
            Chart.sets("replicaCount", 2, "leaderElection.enabled", false),
            "replicaCount > 1 needs leaderElection.enabled=true"),
        Arguments.of(
            Chart.sets("metrics.serviceMonitor.enabled", true, "metrics.service.enabled", false),
            "metrics.serviceMonitor.enabled needs metrics.service.enabled=true"),
        Arguments.of(Chart.sets("logFormat", "xml"), "logFormat must be"));
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void inconsistentValuesFailWithAMessageSayingWhatToChange(Map<String, Object> sets, String message) {
    assertThatThrownBy(() -> Chart.template(List.of(), sets)).hasMessageContaining(message);
  }

  static Stream<String> valuesFiles() {
    return Stream.of("", "helm/namespaced-values.yaml", "helm/no-leader-election-values.yaml");
  }

  @ParameterizedTest(name = "values: {0}")
  @MethodSource("valuesFiles")
  void everyRenderedObjectMatchesTheKubernetesSchema(String valuesFile) {
    List<Chart.Document> documents =
        valuesFile.isEmpty() ? Chart.template() : Chart.templateWith(valuesFile);

    assertThat(documents)
        .isNotEmpty()
        .allSatisfy(
            document ->
                assertThat(StrictSchema.problems(document.tree()))
                    .as("schema problems in %s", document.source())
                    .isEmpty());
  }

  private static Container onlyContainer(PodSpec pod) {
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    return pod.getContainers().get(0);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
