package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.VolumeNodeAffinity;
import java.util.List;
import java.util.Map;

/** Kubernetes node-selector semantics for a PersistentVolume's {@code spec.nodeAffinity}. */
public final class NodeAffinityMatcher {
  /** The well-known label every kubelet sets to its node's name. */
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  private static final String NODE_NAME_FIELD = "metadata.name";

  private NodeAffinityMatcher() {}

  /** Whether the volume may be used on {@code node}; a volume without node affinity may. */
  public static boolean admits(PersistentVolume volume, Node node) {
    VolumeNodeAffinity affinity =
        volume.getSpec() == null ? null : volume.getSpec().getNodeAffinity();
    return affinity == null || affinity.getRequired() == null || matches(affinity.getRequired(), node);
  }

  /**
   * Whether {@code node} satisfies {@code selector}: any term (OR) whose expressions and fields
   * all hold (AND). As in Kubernetes, a selector without terms and a term without requirements
   * match nothing.
   */
  public static boolean matches(NodeSelector selector, Node node) {
    List<NodeSelectorTerm> terms = selector.getNodeSelectorTerms();
    if (terms == null) {
      return false;
    }
    return terms.stream().anyMatch(term -> matches(term, node));
  }

  /**
   * Stand-in for a node the caller has no object for: all we know is its name, which kubelets
   * also publish as the hostname label, so only that label and {@code metadata.name} can match.
   */
  public static Node assumedNode(String nodeName) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(nodeName)
        .addToLabels(HOSTNAME_LABEL, nodeName)
        .endMetadata()
        .build();
  }

  private static boolean matches(NodeSelectorTerm term, Node node) {
    List<NodeSelectorRequirement> expressions = orEmpty(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = orEmpty(term.getMatchFields());
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> labels =
        node.getMetadata() == null || node.getMetadata().getLabels() == null
            ? Map.of()
            : node.getMetadata().getLabels();
    for (NodeSelectorRequirement requirement : expressions) {
      if (!matches(requirement, labels)) {
        return false;
      }
    }
    String nodeName = node.getMetadata() == null ? null : node.getMetadata().getName();
    Map<String, String> nodeFields =
        nodeName == null ? Map.of() : Map.of(NODE_NAME_FIELD, nodeName);
    for (NodeSelectorRequirement requirement : fields) {
      // Kubernetes supports only metadata.name, and only In/NotIn, as a field selector here.
      boolean supported =
          NODE_NAME_FIELD.equals(requirement.getKey())
              && List.of("In", "NotIn").contains(requirement.getOperator());
      if (!supported || !matches(requirement, nodeFields)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(NodeSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = orEmpty(requirement.getValues());
    return switch (String.valueOf(requirement.getOperator())) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compareAsIntegers(value, values) > 0;
      case "Lt" -> compareAsIntegers(value, values) < 0;
      default -> false;
    };
  }

  /**
   * Gt/Lt take exactly one integer value; anything else (absent label, non-integer) matches
   * nothing, which this reports as 0 (neither greater nor less).
   */
  private static int compareAsIntegers(String value, List<String> values) {
    if (value == null || values.size() != 1) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0)));
    } catch (NumberFormatException notAnInteger) {
      return 0;
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
