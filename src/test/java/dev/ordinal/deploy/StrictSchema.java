package dev.ordinal.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.ordinal.api.v1alpha1.OrdinalSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Kubernetes object against the typed fabric8 model, the way a typo-catching schema
 * check would: the document must parse into its kind's model class, no field may land in an
 * {@code additionalProperties} map anywhere in the tree, and no field may be silently dropped
 * (present in the input, absent when the typed object is written back).
 *
 * <p>Kinds without a fabric8 model that we render (the Prometheus Operator's ServiceMonitor)
 * are parsed into a strict local model of the fields the chart uses.
 */
final class StrictSchema {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  static {
    SERIALIZATION.registerKubernetesResource(OrdinalSet.class);
  }

  private StrictSchema() {}

  /** Problems found in one object; empty when it is valid. */
  static List<String> problems(JsonNode document) {
    String apiVersion = document.path("apiVersion").asText();
    String kind = document.path("kind").asText();
    String where = kind + " " + document.path("metadata").path("name").asText("<no name>");
    List<String> problems = new ArrayList<>();
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      problems.add(where + ": apiVersion and kind are required");
      return problems;
    }
    Object typed;
    String written;
    try {
      if ("monitoring.coreos.com/v1".equals(apiVersion) && "ServiceMonitor".equals(kind)) {
        typed = STRICT.treeToValue(document, ServiceMonitor.class);
        written = STRICT.writeValueAsString(typed);
      } else {
        Class<? extends KubernetesResource> type =
            SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
        if (type == null || type == GenericKubernetesResource.class) {
          problems.add(where + ": no schema known for " + apiVersion + " " + kind);
          return problems;
        }
        typed = SERIALIZATION.unmarshal(JSON.writeValueAsString(document), type);
        written = SERIALIZATION.asJson(typed);
      }
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
      problems.add(where + ": does not parse as " + apiVersion + " " + kind + ": " + message);
      return problems;
    }
    collectAdditionalProperties(typed, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
    try {
      collectDropped(document, JSON.readTree(written), "", problems);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return problems.stream().map(problem -> where + ": " + problem).toList();
  }

  private static void collectAdditionalProperties(
      Object value, String path, List<String> problems, Set<Object> seen) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectAdditionalProperties(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        collectAdditionalProperties(entry.getValue(), path + "." + entry.getKey(), problems, seen);
      }
      return;
    }
    String className = value.getClass().getName();
    if (!(className.startsWith("io.fabric8.") || className.startsWith("dev.ordinal."))
        || value.getClass().isEnum()
        || !seen.add(value)) {
      return;
    }
    BeanDescription bean =
        JSON.getSerializationConfig().introspect(JSON.constructType(value.getClass()));
    AnnotatedMember anyGetter = bean.findAnyGetter();
    if (anyGetter != null) {
      anyGetter.fixAccess(true);
    }
    if (anyGetter != null && anyGetter.getValue(value) instanceof Map<?, ?> extra && !extra.isEmpty()) {
      problems.add(
          "unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "<root>" : path));
    }
    for (BeanPropertyDefinition property : bean.findProperties()) {
      AnnotatedMember accessor = property.getAccessor();
      if (accessor != null) {
        accessor.fixAccess(true);
        collectAdditionalProperties(
            accessor.getValue(value), path + "." + property.getName(), problems, seen);
      }
    }
  }

  /** Every non-empty field of the input must survive a round trip through the model. */
  private static void collectDropped(JsonNode in, JsonNode out, String path, List<String> problems) {
    if (in.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = in.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = field.getValue();
        if (value.isNull() || (value.isContainerNode() && value.isEmpty())) {
          continue;
        }
        String fieldPath = path + "." + field.getKey();
        JsonNode written = out == null ? null : out.get(field.getKey());
        if (written == null || written.isNull()) {
          problems.add("unknown field " + fieldPath + " (dropped by the model)");
        } else {
          collectDropped(value, written, fieldPath, problems);
        }
      }
    } else if (in.isArray()) {
      for (int i = 0; i < in.size(); i++) {
        collectDropped(in.get(i), out == null ? null : out.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  /** The part of monitoring.coreos.com/v1 ServiceMonitor that the chart renders. */
  record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
    record Spec(
        LabelSelector selector,
        NamespaceSelector namespaceSelector,
        List<Endpoint> endpoints,
        String jobLabel) {}

    record NamespaceSelector(Boolean any, List<String> matchNames) {}

    record Endpoint(
        String port, String path, String scheme, String interval, String scrapeTimeout) {}
  }
}
