package dev.ordinal.spec;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.OrdinalSetSpec;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.api.v1alpha1.RollingUpdate;
import dev.ordinal.api.v1alpha1.UpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeClaimUpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeReuseType;
import dev.ordinal.binding.SelectorMatcher;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Judges a spec the way the CRD's schema and CEL rules do, plus what they cannot express. The API
 * server normally rejects bad specs first; this is the operator's own guard for servers that do
 * not validate (older clusters, the mock) and for specs that became invalid through edits.
 */
public final class SpecValidator {
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern PERCENT = Pattern.compile("^(100|[1-9][0-9]?)%$");
  static final int MAX_SET_NAME = 52;
  static final int MAX_LABEL = 63;
  static final int MAX_NAME = 253;

  public SpecValidation validate(OrdinalSet set) {
    List<String> problems = new ArrayList<>();
    OrdinalSetSpec spec = set.getSpec();
    String name = set.getMetadata().getName();
    if (spec == null) {
      return new SpecValidation(Optional.empty(), List.of("spec is missing"));
    }
    if (name.length() > MAX_SET_NAME) {
      problems.add("metadata.name must be at most " + MAX_SET_NAME + " characters, so that the controller-revision-hash label fits in 63");
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      problems.add("metadata.name must be a DNS label: pod names " + name + "-<ordinal> are hostnames");
    }
    int replicas = orDefault(spec.getReplicas(), 1);
    int start = spec.getOrdinals() == null ? 0 : orDefault(spec.getOrdinals().getStart(), 0);
    nonNegative(problems, "replicas", replicas);
    nonNegative(problems, "ordinals.start", start);
    nonNegative(problems, "minReadySeconds", orDefault(spec.getMinReadySeconds(), 0));
    nonNegative(problems, "revisionHistoryLimit", orDefault(spec.getRevisionHistoryLimit(), 10));
    if ((long) start + replicas > Integer.MAX_VALUE) {
      problems.add("ordinals.start + replicas must not exceed " + Integer.MAX_VALUE);
    }
    checkSelector(problems, spec);
    checkTemplate(problems, spec);
    checkClaimTemplates(problems, spec, name, (long) start + Math.max(replicas, 1) - 1);
    UpdateStrategyType strategy = spec.getUpdateStrategy() == null || spec.getUpdateStrategy().getType() == null
        ? UpdateStrategyType.RollingUpdate : spec.getUpdateStrategy().getType();
    RollingUpdate rolling = spec.getUpdateStrategy() == null ? null : spec.getUpdateStrategy().getRollingUpdate();
    if (strategy == UpdateStrategyType.OnDelete && rolling != null) {
      problems.add("updateStrategy.rollingUpdate may only be set when type is RollingUpdate");
    }
    int partition = rolling == null ? 0 : orDefault(rolling.getPartition(), 0);
    nonNegative(problems, "updateStrategy.rollingUpdate.partition", partition);
    IntOrString maxUnavailable = rolling == null || rolling.getMaxUnavailable() == null
        ? new IntOrString(1) : rolling.getMaxUnavailable();
    checkMaxUnavailable(problems, maxUnavailable);
    if (!problems.isEmpty()) {
      return new SpecValidation(Optional.empty(), problems);
    }
    var retention = spec.getPersistentVolumeClaimRetentionPolicy();
    SetDefinition definition = new SetDefinition(
        set.getMetadata().getNamespace(),
        name,
        set.getMetadata().getUid(),
        set.getMetadata().getGeneration() == null ? 0 : set.getMetadata().getGeneration(),
        replicas,
        start,
        spec.getSelector(),
        spec.getServiceName(),
        spec.getTemplate(),
        spec.getVolumeClaimTemplates() == null ? List.of() : spec.getVolumeClaimTemplates(),
        spec.getPodManagementPolicy() == null ? PodManagementPolicy.OrderedReady : spec.getPodManagementPolicy(),
        strategy,
        partition,
        maxUnavailable,
        orDefault(spec.getMinReadySeconds(), 0),
        orDefault(spec.getRevisionHistoryLimit(), 10),
        retention == null || retention.getWhenDeleted() == null ? RetentionPolicyType.Retain : retention.getWhenDeleted(),
        retention == null || retention.getWhenScaled() == null ? RetentionPolicyType.Retain : retention.getWhenScaled(),
        spec.getVolumeClaimUpdateStrategy() == null || spec.getVolumeClaimUpdateStrategy().getType() == null
            ? VolumeClaimUpdateStrategyType.InPlace : spec.getVolumeClaimUpdateStrategy().getType(),
        spec.getVolumeReuse() == null || spec.getVolumeReuse().getType() == null
            ? VolumeReuseType.Never : spec.getVolumeReuse().getType());
    return new SpecValidation(Optional.of(definition), List.of());
  }

  private static void checkSelector(List<String> problems, OrdinalSetSpec spec) {
    LabelSelector selector = spec.getSelector();
    boolean empty = selector == null
        || (isEmpty(selector.getMatchLabels()) && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
    if (empty) {
      problems.add("selector must not be empty: it must select the pods of this set");
      return;
    }
    Map<String, String> labels = spec.getTemplate() == null || spec.getTemplate().getMetadata() == null
        ? Map.of() : spec.getTemplate().getMetadata().getLabels();
    if (!SelectorMatcher.matches(selector, labels)) {
      problems.add("selector does not match template.metadata.labels " + (labels == null ? "{}" : labels));
    }
  }

  private static void checkTemplate(List<String> problems, OrdinalSetSpec spec) {
    if (spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
      problems.add("template.spec is required");
      return;
    }
    var podSpec = spec.getTemplate().getSpec();
    if (podSpec.getContainers() == null || podSpec.getContainers().isEmpty()) {
      problems.add("template.spec.containers must not be empty");
    }
    String restart = podSpec.getRestartPolicy();
    if (restart != null && !restart.equals("Always")) {
      problems.add("template.spec.restartPolicy must be Always, not " + restart);
    }
  }

  private static void checkClaimTemplates(List<String> problems, OrdinalSetSpec spec, String setName, long highestOrdinal) {
    if (spec.getVolumeClaimTemplates() == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (PersistentVolumeClaim t : spec.getVolumeClaimTemplates()) {
      String template = t.getMetadata() == null ? null : t.getMetadata().getName();
      if (template == null || template.isEmpty()) {
        problems.add("every volumeClaimTemplate needs metadata.name");
        continue;
      }
      if (!seen.add(template)) {
        problems.add("volumeClaimTemplates names must be unique: " + template + " appears twice");
      }
      if (template.length() > MAX_LABEL || !DNS_LABEL.matcher(template).matches()) {
        problems.add("volumeClaimTemplate name " + template + " must be a DNS label of at most " + MAX_LABEL + " characters");
      }
      String longest = template + "-" + setName + "-" + highestOrdinal;
      if (longest.length() > MAX_NAME) {
        problems.add("claim name " + longest + " would be longer than " + MAX_NAME + " characters");
      }
      Quantity storage = t.getSpec() == null || t.getSpec().getResources() == null || t.getSpec().getResources().getRequests() == null
          ? null : t.getSpec().getResources().getRequests().get("storage");
      if (storage == null) {
        problems.add("volumeClaimTemplate " + template + " needs spec.resources.requests.storage");
      } else {
        try {
          if (Quantity.getAmountInBytes(storage).compareTo(BigDecimal.ZERO) <= 0) {
            problems.add("volumeClaimTemplate " + template + " storage request must be positive, not " + storage);
          }
        } catch (IllegalArgumentException | ArithmeticException e) {
          problems.add("volumeClaimTemplate " + template + " storage request " + storage + " is not a quantity");
        }
      }
    }
  }

  private static void checkMaxUnavailable(List<String> problems, IntOrString value) {
    boolean ok = value.getIntVal() != null
        ? value.getIntVal() >= 1
        : value.getStrVal() != null && PERCENT.matcher(value.getStrVal()).matches();
    if (!ok) {
      problems.add("updateStrategy.rollingUpdate.maxUnavailable must be an integer >= 1 or a percentage between 1% and 100%, not "
          + (value.getIntVal() != null ? value.getIntVal() : value.getStrVal()));
    }
  }

  private static void nonNegative(List<String> problems, String field, int value) {
    if (value < 0) {
      problems.add(field + " must be >= 0, not " + value);
    }
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static boolean isEmpty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }
}
