package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schema check must catch the typos it exists for, and accept valid objects. */
class StrictSchemaTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: op
      spec:
        selector:
          matchLabels: {app: op}
        template:
          metadata:
            labels: {app: op}
          spec:
            containers:
              - name: op
                image: op:1
                securityContext:
                  %s: true
                resources:
                  limits: {memory: 512Mi}
                volumeMounts: []
      """;

  @Test
  void acceptsAValidDeployment() {
    assertThat(StrictSchema.problems(Chart.readTree(DEPLOYMENT.formatted("readOnlyRootFilesystem"))))
        .isEmpty();
  }

  @Test
  void reportsAMisspelledNestedFieldWithItsPath() {
    assertThat(StrictSchema.problems(Chart.readTree(DEPLOYMENT.formatted("readOnlyRootFilesytem"))))
        .singleElement()
        .asString()
        .contains("readOnlyRootFilesytem")
        .contains(".spec.template.spec.containers[0].securityContext");
  }

  @Test
  void reportsAnUnknownKind() {
    assertThat(StrictSchema.problems(Chart.readTree("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")))
        .singleElement()
        .asString()
        .contains("no schema known");
  }

  @Test
  void reportsAnUnknownFieldInAnOrdinalSetSpec() {
    String set =
        """
        apiVersion: ordinal.dev/v1alpha1
        kind: OrdinalSet
        metadata: {name: web}
        spec:
          replicas: 2
          %s
          selector: {matchLabels: {app: nginx}}
          serviceName: nginx
          template:
            metadata: {labels: {app: nginx}}
            spec:
              containers: [{name: nginx, image: nginx, %s}]
        """;

    assertThat(StrictSchema.problems(Chart.readTree(set.formatted("minReadySeconds: 0", "ports: []"))))
        .isEmpty();
    assertThat(StrictSchema.problems(Chart.readTree(set.formatted("replica: 3", "ports: []"))))
        .singleElement()
        .asString()
        .contains("\"replica\"");
    assertThat(StrictSchema.problems(Chart.readTree(set.formatted("minReadySeconds: 0", "portz: [1]"))))
        .singleElement()
        .asString()
        .contains("portz")
        .contains(".spec.template.spec.containers[0]");
  }

  @Test
  void reportsAnUnknownFieldInAServiceMonitor() {
    String monitor =
        """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: op}
        spec:
          selector: {matchLabels: {app: op}}
          endpoints: [{port: http, intervall: 30s}]
        """;

    assertThat(StrictSchema.problems(Chart.readTree(monitor)))
        .singleElement()
        .asString()
        .contains("intervall");
  }

  @Test
  void reportsAMisspelledFieldInACrdSchema() {
    String crd =
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  x-kubernetes-preserve-unknown-field: true
        """;

    assertThat(StrictSchema.problems(Chart.readTree(crd)))
        .singleElement()
        .asString()
        .contains("x-kubernetes-preserve-unknown-field");
  }
}
