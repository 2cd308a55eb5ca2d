package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly src/test/resources/rbac/required-permissions.yaml: every rule, and
 * nothing more, whatever the RBAC scope.
 */
class ChartRbacTest {
  /** Resources that are not namespaced: they always need the ClusterRole. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("persistentvolumes", "persistentvolumes/status", "storageclasses", "nodes");

  private static final String LEASES = "coordination.k8s.io/leases";

  record Permission(String apiGroup, String resource, List<String> verbs) {}

  @Test
  void clusterScopeGrantsExactlyTheRequiredPermissions() {
    List<Chart.Document> documents = Chart.template();

    assertThat(grants(documents)).isEqualTo(required());
    assertThat(grants(Rendered.all(documents, Role.class).stream().flatMap(r -> r.getRules().stream()).toList()))
        .as("the only Role is the leader-election one")
        .containsOnlyKeys(LEASES);
  }

  @Test
  void namespacedScopeGrantsTheSamePermissionsSplitByScope() {
    List<Chart.Document> documents = Chart.templateWith("helm/namespaced-values.yaml");

    assertThat(grants(documents)).isEqualTo(required());
    ClusterRole clusterRole = Rendered.one(documents, ClusterRole.class);
    assertThat(grants(clusterRole.getRules()).keySet())
        .as("the ClusterRole holds only cluster-scoped resources")
        .allSatisfy(key -> assertThat(CLUSTER_SCOPED).contains(key.substring(key.indexOf('/') + 1)));
    Map<String, Set<String>> namespacedRequired = new TreeMap<>(required());
    namespacedRequired.keySet().removeIf(key -> CLUSTER_SCOPED.contains(key.substring(key.indexOf('/') + 1)));
    namespacedRequired.remove(LEASES);
    for (String namespace : List.of("team-a", "team-b")) {
      Role role =
          Rendered.all(documents, Role.class).stream()
              .filter(r -> r.getMetadata().getNamespace().equals(namespace))
              .findFirst()
              .orElseThrow();
      assertThat(grants(role.getRules())).as("Role in %s", namespace).isEqualTo(namespacedRequired);
    }
  }

  @Test
  void withoutLeaderElectionLeasesAreNotGranted() {
    Map<String, Set<String>> expected = new TreeMap<>(required());
    expected.remove(LEASES);

    assertThat(grants(Chart.templateWith("helm/no-leader-election-values.yaml"))).isEqualTo(expected);
  }

  @Test
  void withoutStatefulSetStorageStatefulSetsAreNotGranted() {
    Map<String, Set<String>> expected = new TreeMap<>(required());
    expected.remove("apps/statefulsets");
    expected.remove("apps/statefulsets/finalizers");

    assertThat(grants(Chart.template(List.of(), Map.of("statefulSetStorage.enabled", false)))).isEqualTo(expected);
  }

  @Test
  void statefulSetsAreOnlyRead() {
    assertThat(grants(Chart.template()).get("apps/statefulsets")).containsExactlyInAnyOrder("list", "watch");
  }

  @Test
  void claimsAndVolumesAreNeverDeletedAndVolumesNeverCreated() {
    Map<String, Set<String>> granted = grants(Chart.template());

    assertThat(granted.get("/persistentvolumeclaims")).doesNotContain("delete", "deletecollection", "*");
    assertThat(granted.get("/persistentvolumes")).doesNotContain("create", "delete", "deletecollection", "*");
  }

  @Test
  void rulesUseNoWildcardsResourceNamesOrNonResourceUrls() {
    List<PolicyRule> rules = rules(Chart.templateWith("helm/namespaced-values.yaml"));
    rules.addAll(rules(Chart.template()));

    assertThat(rules)
        .isNotEmpty()
        .allSatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*");
              assertThat(rule.getVerbs()).doesNotContain("*");
              assertThat(rule.getResourceNames()).isNullOrEmpty();
              assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            });
  }

  /** "group/resource" to verbs, from the checked-in table. */
  static Map<String, Set<String>> required() {
    try {
      List<Permission> permissions =
          new ObjectMapper(new YAMLFactory())
              .readValue(
                  Chart.testResource("rbac/required-permissions.yaml").toFile(),
                  new TypeReference<List<Permission>>() {});
      Map<String, Set<String>> required = new TreeMap<>();
      for (Permission permission : permissions) {
        Set<String> previous =
            required.put(permission.apiGroup() + "/" + permission.resource(), new TreeSet<>(permission.verbs()));
        assertThat(previous).as("duplicate entry for %s", permission).isNull();
      }
      return required;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Set<String>> grants(List<?> documentsOrRules) {
    List<PolicyRule> rules =
        documentsOrRules.stream().anyMatch(o -> o instanceof Chart.Document)
            ? rules(documentsOrRules.stream().map(Chart.Document.class::cast).toList())
            : documentsOrRules.stream().map(PolicyRule.class::cast).toList();
    Map<String, Set<String>> grants = new TreeMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          grants.computeIfAbsent(group + "/" + resource, key -> new TreeSet<>()).addAll(rule.getVerbs());
        }
      }
    }
    return grants;
  }

  private static List<PolicyRule> rules(List<Chart.Document> documents) {
    return Rendered.all(documents, ClusterRole.class).stream()
        .flatMap(role -> role.getRules().stream())
        .collect(Collectors.toCollection(java.util.ArrayList::new))
        .stream()
        .collect(
            Collectors.collectingAndThen(
                Collectors.toList(),
                list -> {
                  Rendered.all(documents, Role.class).forEach(role -> list.addAll(role.getRules()));
                  return list;
                }));
  }
}
