package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML file we ship for kubectl (deploy/manifests/, examples/, crds/ and the chart's
 * crds/) parses into the typed Kubernetes model with no unknown field anywhere.
 */
class ManifestSchemaTest {
  static Stream<Path> shippedYamlFiles() throws IOException {
    List<Path> roots =
        Stream.of("deploy/manifests", "examples", "crds", "deploy/helm/ordinal-operator/crds")
            .map(Chart.PROJECT_DIR::resolve)
            .filter(Files::isDirectory)
            .toList();
    Stream<Path> files = Stream.empty();
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        List<Path> yaml =
            walk.filter(Files::isRegularFile)
                .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
                .sorted()
                .toList();
        files = Stream.concat(files, yaml.stream());
      }
    }
    return files.map(Chart.PROJECT_DIR::relativize);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedYamlFiles")
  void everyDocumentMatchesTheKubernetesSchema(Path file) {
    List<JsonNode> documents = Chart.readAll(Chart.PROJECT_DIR.resolve(file));

    assertThat(documents).as("%s has no YAML documents", file).isNotEmpty();
    assertThat(documents)
        .allSatisfy(document -> assertThat(StrictSchema.problems(document)).as("%s", file).isEmpty());
  }
}
