package dev.ordinal.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * deploy/manifests/: the chart rendered with default values (release ordinal-operator, namespace
 * ordinal-system) as numbered files in apply order, plus the Namespace and the CRD.
 */
final class PlainManifests {
  static final Path DIR = Chart.PROJECT_DIR.resolve("deploy/manifests");
  static final String REGENERATE_COMMAND =
      "./mvnw -B test -Dtest=PlainManifestsUpToDateTest -Dordinal.regenerate=true";

  /** Chart template to manifest file; a new template must be given its place here. */
  private static final Map<String, String> FILE_BY_TEMPLATE =
      Map.of(
          "serviceaccount.yaml", "020-serviceaccount.yaml",
          "clusterrole.yaml", "030-clusterrole.yaml",
          "clusterrolebinding.yaml", "040-clusterrolebinding.yaml",
          "role-leader-election.yaml", "050-role-leader-election.yaml",
          "rolebinding-leader-election.yaml", "060-rolebinding-leader-election.yaml",
          "service-metrics.yaml", "070-service-metrics.yaml",
          "deployment.yaml", "080-deployment.yaml");

  private static final String HEADER =
      """
      # Generated from deploy/helm/ordinal-operator with default values (release %s,
      # namespace %s). Do not edit: change the chart, then regenerate with
      #   %s
      """;

  private PlainManifests() {}

  /** File name to content, in apply order. */
  static Map<String, String> render() {
    Map<String, String> files = new LinkedHashMap<>();
    String header = HEADER.formatted(Chart.RELEASE, Chart.NAMESPACE, REGENERATE_COMMAND);
    files.put(
        "000-namespace.yaml",
        header
            + """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %s
              labels:
                app.kubernetes.io/part-of: ordinal-operator
                # The operator pod meets the restricted Pod Security Standard.
                pod-security.kubernetes.io/enforce: restricted
            """
                .formatted(Chart.NAMESPACE));
    files.put(
        "010-crd-ordinalsets.yaml",
        "# Copy of crds/ordinalsets.ordinal.dev-v1.yml. Apply with: kubectl apply --server-side -f\n"
            + Chart.read(Chart.CRD));
    List<Chart.Document> documents = Chart.template();
    Map<String, String> rendered = new java.util.TreeMap<>();
    for (Chart.Document document : documents) {
      String template = document.source().substring(document.source().lastIndexOf('/') + 1);
      String file = FILE_BY_TEMPLATE.get(template);
      if (file == null) {
        throw new IllegalStateException(
            "template " + document.source() + " has no place in deploy/manifests: add it to PlainManifests.FILE_BY_TEMPLATE");
      }
      rendered.merge(file, header + document.yaml(), (a, b) -> a + "---\n" + b.substring(header.length()));
    }
    files.putAll(rendered);
    return files;
  }
}
