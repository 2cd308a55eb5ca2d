package dev.ordinal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordinal.api.v1alpha1.SchemaBounds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the CEL rules' estimated cost within a real API server's budget without starting one: the
 * bounds the cost estimate relies on are in the schema, and every collection a rule iterates over
 * is bounded. (A kube-apiserver 1.32 refused the CRD without them; measured with the bounds: the
 * costliest rule, unique claim template names, is at about 1/100 of the per-rule budget.)
 * CrdInstallsOnRealApiServerTest checks the budget itself, where binaries are available.
 */
class CelRuleBoundsTest {
  static final Path CRD = Path.of("crds/ordinalsets.ordinal.dev-v1.yml");
  private static final JSONSchemaProps ROOT = load().getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema();
  private static final JSONSchemaProps SPEC = ROOT.getProperties().get("spec");

  record Bound(String path, String keyword, long max, Function<JSONSchemaProps, Number> read) {
    @Override
    public String toString() {
      return path + " " + keyword + " " + max;
    }
  }

  static Stream<Bound> bounds() {
    return Stream.of(
        new Bound("selector.matchLabels", "maxProperties", SchemaBounds.MATCH_LABELS_MAX_PROPERTIES, JSONSchemaProps::getMaxProperties),
        new Bound("selector.matchLabels.*", "maxLength", SchemaBounds.LABEL_VALUE_MAX_LENGTH, JSONSchemaProps::getMaxLength),
        new Bound("selector.matchExpressions", "maxItems", SchemaBounds.MATCH_EXPRESSIONS_MAX_ITEMS, JSONSchemaProps::getMaxItems),
        new Bound("selector.matchExpressions[].key", "maxLength", SchemaBounds.LABEL_KEY_MAX_LENGTH, JSONSchemaProps::getMaxLength),
        new Bound("selector.matchExpressions[].values", "maxItems", SchemaBounds.MATCH_EXPRESSION_VALUES_MAX_ITEMS, JSONSchemaProps::getMaxItems),
        new Bound("selector.matchExpressions[].values[]", "maxLength", SchemaBounds.LABEL_VALUE_MAX_LENGTH, JSONSchemaProps::getMaxLength),
        new Bound("template.metadata.labels.*", "maxLength", SchemaBounds.LABEL_VALUE_MAX_LENGTH, JSONSchemaProps::getMaxLength),
        new Bound("volumeClaimTemplates", "maxItems", 32, JSONSchemaProps::getMaxItems),
        new Bound("volumeClaimTemplates[].metadata.name", "maxLength", SchemaBounds.OBJECT_NAME_MAX_LENGTH, JSONSchemaProps::getMaxLength));
  }

  @ParameterizedTest(name = "spec.{0}")
  @MethodSource("bounds")
  void theSpecRulesRangeOverBoundedValues(Bound bound) {
    Number actual = bound.read().apply(resolve(SPEC, bound.path()));
    assertThat(actual).as("%s of spec.%s (without it a real API server refuses the CRD: CEL cost over budget)",
        bound.keyword(), bound.path()).isNotNull();
    assertThat(actual.longValue()).as("%s of spec.%s", bound.keyword(), bound.path()).isEqualTo(bound.max());
  }

  @Test
  void boundsAreKubernetesOwnLimitsWhereItHasThem() {
    assertThat(SchemaBounds.LABEL_VALUE_MAX_LENGTH).isEqualTo(63);
    assertThat(SchemaBounds.LABEL_KEY_MAX_LENGTH).as("253 prefix + '/' + 63 name").isEqualTo(253 + 1 + 63);
    assertThat(SchemaBounds.OBJECT_NAME_MAX_LENGTH).isEqualTo(253);
  }

  private static final Pattern ITERATED =
      Pattern.compile("\\b(self(?:\\.[A-Za-z_][A-Za-z0-9_]*)+)\\.(all|exists|exists_one|map|filter)\\(");

  /** A new macro over an unbounded list or map fails here, before a real server refuses the CRD. */
  @Test
  void everyListOrMapARuleIteratesHasAMaximumSize() {
    List<String> iterated = new ArrayList<>();
    collectIterated(ROOT, "", iterated);
    assertThat(iterated).as("collections the rules iterate over")
        .contains("spec.selector.matchLabels", "spec.selector.matchExpressions", "spec.volumeClaimTemplates");
    for (String path : iterated) {
      JSONSchemaProps node = resolve(ROOT, path);
      Number max = "array".equals(node.getType()) ? node.getMaxItems() : node.getMaxProperties();
      assertThat(max).as("maxItems/maxProperties of %s, which a CEL rule iterates over", path).isNotNull();
    }
  }

  private static void collectIterated(JSONSchemaProps node, String path, List<String> out) {
    if (node == null) {
      return;
    }
    for (ValidationRule rule : node.getXKubernetesValidations() == null ? List.<ValidationRule>of() : node.getXKubernetesValidations()) {
      Matcher m = ITERATED.matcher(rule.getRule());
      while (m.find()) {
        String relative = m.group(1).substring("self".length());
        out.add((path + relative).replaceFirst("^\\.", ""));
      }
    }
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, child) -> collectIterated(child, path + "." + name, out));
    }
    if (node.getItems() != null) {
      collectIterated(node.getItems().getSchema(), path + "[]", out);
    }
    if (node.getAdditionalProperties() != null) {
      collectIterated(node.getAdditionalProperties().getSchema(), path + ".*", out);
    }
  }

  /** Dotted path; {@code []} steps into list items, {@code *} into map values. */
  private static JSONSchemaProps resolve(JSONSchemaProps from, String path) {
    JSONSchemaProps node = from;
    for (String step : path.split("\\.")) {
      boolean items = step.endsWith("[]");
      String name = items ? step.substring(0, step.length() - 2) : step;
      if (name.equals("*")) {
        node = node.getAdditionalProperties().getSchema();
      } else if (!name.isEmpty()) {
        node = node.getProperties().get(name);
      }
      assertThat(node).as("schema node %s in %s", step, path).isNotNull();
      if (items) {
        node = node.getItems().getSchema();
      }
    }
    return node;
  }

  private static CustomResourceDefinition load() {
    try (InputStream in = Files.newInputStream(CRD)) {
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
