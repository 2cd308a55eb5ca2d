package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartReadmeTest {
  @Test
  void everyValueIsDocumentedInTheChartReadme() {
    JsonNode values = Chart.readAll(Chart.DIR.resolve("values.yaml")).get(0);
    String readme = Chart.read(Chart.DIR.resolve("README.md"));
    List<String> paths = new ArrayList<>();
    collect(values, "", paths);

    assertThat(paths)
        .isNotEmpty()
        .allSatisfy(
            path ->
                assertThat(readme)
                    .as("deploy/helm/ordinal-operator/README.md documents `%s`", path)
                    .contains("| `" + path + "` |"));
  }

  /** Documented paths: leaves, lists and free-form maps, plus fixed-shape groups' leaves. */
  private static void collect(JsonNode node, String path, List<String> paths) {
    boolean freeForm =
        path.endsWith("resources") || path.endsWith("ecurityContext") || !node.isObject() || node.isEmpty();
    if (!path.isEmpty() && freeForm) {
      paths.add(path);
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), paths);
    }
  }
}
