package dev.ordinal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Helm chart under deploy/helm/ordinal-operator, rendered offline with helm-java. */
public final class Chart {
  static final Path PROJECT_DIR = Path.of("").toAbsolutePath();
  public static final Path DIR = PROJECT_DIR.resolve("deploy/helm/ordinal-operator");
  static final Path CRD = PROJECT_DIR.resolve("crds/ordinalsets.ordinal.dev-v1.yml");
  static final Path CHART_CRD = DIR.resolve("crds/ordinalsets.ordinal.dev-v1.yml");
  public static final String RELEASE = "ordinal-operator";
  public static final String NAMESPACE = "ordinal-system";
  /** A Kubernetes version the chart supports; helm-java's default may be older than kubeVersion. */
  static final String KUBE_VERSION = "1.32.0";

  private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (\\S+)\\s*$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Chart() {}

  /** One YAML document of `helm template` output, with the template it came from. */
  public record Document(String source, String yaml, JsonNode tree) {
    public String kind() {
      return tree.path("kind").asText();
    }

    public String name() {
      return tree.path("metadata").path("name").asText();
    }

    public String namespace() {
      return tree.path("metadata").path("namespace").asText(null);
    }
  }

  /** Renders the chart (without its crds/) with optional values files and --set pairs. */
  public static List<Document> template(List<Path> valuesFiles, Map<String, Object> sets) {
    TemplateCommand command =
        new Helm(DIR)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION)
            .skipCrds();
    for (Path values : valuesFiles) {
      command = command.withValuesFile(values);
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return split(command.call());
  }

  static List<Document> template() {
    return template(List.of(), Map.of());
  }

  static List<Document> templateWith(String valuesResource) {
    return template(List.of(testResource(valuesResource)), Map.of());
  }

  static Path testResource(String name) {
    return PROJECT_DIR.resolve("src/test/resources").resolve(name);
  }

  static List<Document> split(String rendered) {
    List<Document> documents = new ArrayList<>();
    for (String part : rendered.split("(?m)^---\\s*$")) {
      JsonNode tree = readTree(part);
      if (tree == null || tree.isNull() || tree.isMissingNode() || tree.isEmpty()) {
        continue;
      }
      Matcher source = SOURCE.matcher(part);
      documents.add(
          new Document(source.find() ? source.group(1) : "", part.strip() + "\n", tree));
    }
    return documents;
  }

  static List<JsonNode> readAll(Path file) {
    try {
      List<JsonNode> documents = new ArrayList<>();
      for (JsonNode node : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
        if (node != null && !node.isNull() && !node.isEmpty()) {
          documents.add(node);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static JsonNode readTree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML: " + yaml, e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, Object> sets(Object... keyValues) {
    Map<String, Object> sets = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      sets.put((String) keyValues[i], keyValues[i + 1]);
    }
    return sets;
  }
}
