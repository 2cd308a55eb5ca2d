package dev.ordinal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A superset of apps/v1 StatefulSetSpec: a StatefulSet manifest migrates by changing apiVersion
 * and kind only. Defaults live in the schema (for the API server) and in {@code SetDefinition}
 * (for servers that do not default), never written back into the user's spec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.selector.matchLabels) && size(self.selector.matchLabels) > 0)"
        + " || (has(self.selector.matchExpressions) && size(self.selector.matchExpressions) > 0)",
    message = "selector must not be empty: it must select the pods of this set",
    fieldPath = ".selector",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.selector.matchLabels) || self.selector.matchLabels.all(k,"
        + " has(self.template.metadata) && has(self.template.metadata.labels)"
        + " && k in self.template.metadata.labels && self.template.metadata.labels[k] == self.selector.matchLabels[k])",
    message = "selector.matchLabels must match template.metadata.labels",
    fieldPath = ".selector",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.selector.matchExpressions) || self.selector.matchExpressions.all(e,"
        + " e.operator == 'In' ? (has(self.template.metadata) && has(self.template.metadata.labels)"
        + " && e.key in self.template.metadata.labels && has(e.values) && self.template.metadata.labels[e.key] in e.values)"
        + " : e.operator == 'NotIn' ? (!has(self.template.metadata) || !has(self.template.metadata.labels)"
        + " || !(e.key in self.template.metadata.labels) || !has(e.values) || !(self.template.metadata.labels[e.key] in e.values))"
        + " : e.operator == 'Exists' ? (has(self.template.metadata) && has(self.template.metadata.labels)"
        + " && e.key in self.template.metadata.labels)"
        + " : e.operator == 'DoesNotExist' ? (!has(self.template.metadata) || !has(self.template.metadata.labels)"
        + " || !(e.key in self.template.metadata.labels))"
        + " : false)",
    message = "selector.matchExpressions must match template.metadata.labels (operators In, NotIn, Exists, DoesNotExist)",
    fieldPath = ".selector",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "self.selector == oldSelf.selector",
    message = "selector is immutable",
    fieldPath = ".selector",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.volumeClaimTemplates) || self.volumeClaimTemplates.all(t, has(t.metadata) && has(t.metadata.name)"
        + " && t.metadata.name.size() <= 63 && t.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))",
    message = "every volumeClaimTemplate needs metadata.name, a DNS label of at most 63 characters",
    fieldPath = ".volumeClaimTemplates",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.volumeClaimTemplates) || self.volumeClaimTemplates.all(t, !has(t.metadata) || !has(t.metadata.name)"
        + " || self.volumeClaimTemplates.exists_one(u, has(u.metadata) && has(u.metadata.name) && u.metadata.name == t.metadata.name))",
    message = "volumeClaimTemplates names must be unique",
    fieldPath = ".volumeClaimTemplates",
    // not FieldValueDuplicate: for that reason the API server prints only `Duplicate value: "object"`
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.volumeClaimTemplates) || self.volumeClaimTemplates.all(t, has(t.spec) && has(t.spec.resources)"
        + " && has(t.spec.resources.requests) && 'storage' in t.spec.resources.requests)",
    message = "every volumeClaimTemplate needs spec.resources.requests.storage",
    fieldPath = ".volumeClaimTemplates",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "(has(self.ordinals) && has(self.ordinals.start) ? self.ordinals.start : 0)"
        + " + (has(self.replicas) ? self.replicas : 1) <= 2147483647",
    message = "ordinals.start + replicas must not exceed 2147483647",
    reason = "FieldValueInvalid")
public class OrdinalSetSpec {
  @JsonPropertyDescription("Desired number of pods. Default 1.")
  @Default("1")
  @Min(0)
  @SpecReplicas
  private Integer replicas;

  @JsonPropertyDescription("Label query over pods; must match template.metadata.labels. Immutable.")
  @Required
  private LabelSelector selector;

  @JsonPropertyDescription("Name of the governing headless Service; pods get it as their subdomain.")
  private String serviceName;

  @JsonPropertyDescription("The pod template. Its labels must match the selector.")
  @Required
  private PodTemplateSpec template;

  @JsonPropertyDescription("Claims each pod gets, one per template and ordinal, named <template>-<set>-<ordinal>.")
  @Size(max = 32)
  private List<PersistentVolumeClaim> volumeClaimTemplates = new ArrayList<>();

  @JsonPropertyDescription("OrderedReady (default): one pod at a time, in ordinal order. Parallel: all at once.")
  @Default("OrderedReady")
  private PodManagementPolicy podManagementPolicy;

  @JsonPropertyDescription("How template changes reach existing pods.")
  private UpdateStrategy updateStrategy;

  @JsonPropertyDescription("Seconds a pod must be Ready before it counts as available. Default 0.")
  @Default("0")
  @Min(0)
  private Integer minReadySeconds;

  @JsonPropertyDescription("Number of ControllerRevisions kept for rollback. Default 10.")
  @Default("10")
  @Min(0)
  private Integer revisionHistoryLimit;

  @JsonPropertyDescription("Ordinal numbering of the pods.")
  private Ordinals ordinals;

  @JsonPropertyDescription("What happens to claims when pods are scaled away or the set is deleted.")
  private PersistentVolumeClaimRetentionPolicy persistentVolumeClaimRetentionPolicy;

  @JsonPropertyDescription("How storage request changes in claim templates reach existing claims.")
  private VolumeClaimUpdateStrategy volumeClaimUpdateStrategy;

  @JsonPropertyDescription("Whether a recreated claim takes back the Released volume its name held.")
  private VolumeReuse volumeReuse;

  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
  public String getServiceName() { return serviceName; }
  public void setServiceName(String serviceName) { this.serviceName = serviceName; }
  public PodTemplateSpec getTemplate() { return template; }
  public void setTemplate(PodTemplateSpec template) { this.template = template; }
  public List<PersistentVolumeClaim> getVolumeClaimTemplates() { return volumeClaimTemplates; }
  public void setVolumeClaimTemplates(List<PersistentVolumeClaim> volumeClaimTemplates) { this.volumeClaimTemplates = volumeClaimTemplates; }
  public PodManagementPolicy getPodManagementPolicy() { return podManagementPolicy; }
  public void setPodManagementPolicy(PodManagementPolicy podManagementPolicy) { this.podManagementPolicy = podManagementPolicy; }
  public UpdateStrategy getUpdateStrategy() { return updateStrategy; }
  public void setUpdateStrategy(UpdateStrategy updateStrategy) { this.updateStrategy = updateStrategy; }
  public Integer getMinReadySeconds() { return minReadySeconds; }
  public void setMinReadySeconds(Integer minReadySeconds) { this.minReadySeconds = minReadySeconds; }
  public Integer getRevisionHistoryLimit() { return revisionHistoryLimit; }
  public void setRevisionHistoryLimit(Integer revisionHistoryLimit) { this.revisionHistoryLimit = revisionHistoryLimit; }
  public Ordinals getOrdinals() { return ordinals; }
  public void setOrdinals(Ordinals ordinals) { this.ordinals = ordinals; }
  public PersistentVolumeClaimRetentionPolicy getPersistentVolumeClaimRetentionPolicy() { return persistentVolumeClaimRetentionPolicy; }
  public void setPersistentVolumeClaimRetentionPolicy(PersistentVolumeClaimRetentionPolicy p) { this.persistentVolumeClaimRetentionPolicy = p; }
  public VolumeClaimUpdateStrategy getVolumeClaimUpdateStrategy() { return volumeClaimUpdateStrategy; }
  public void setVolumeClaimUpdateStrategy(VolumeClaimUpdateStrategy v) { this.volumeClaimUpdateStrategy = v; }
  public VolumeReuse getVolumeReuse() { return volumeReuse; }
  public void setVolumeReuse(VolumeReuse volumeReuse) { this.volumeReuse = volumeReuse; }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrdinalSetSpec s
        && Objects.equals(replicas, s.replicas) && Objects.equals(selector, s.selector)
        && Objects.equals(serviceName, s.serviceName) && Objects.equals(template, s.template)
        && Objects.equals(volumeClaimTemplates, s.volumeClaimTemplates)
        && podManagementPolicy == s.podManagementPolicy && Objects.equals(updateStrategy, s.updateStrategy)
        && Objects.equals(minReadySeconds, s.minReadySeconds) && Objects.equals(revisionHistoryLimit, s.revisionHistoryLimit)
        && Objects.equals(ordinals, s.ordinals)
        && Objects.equals(persistentVolumeClaimRetentionPolicy, s.persistentVolumeClaimRetentionPolicy)
        && Objects.equals(volumeClaimUpdateStrategy, s.volumeClaimUpdateStrategy) && Objects.equals(volumeReuse, s.volumeReuse);
  }

  @Override
  public int hashCode() {
    return Objects.hash(replicas, selector, serviceName, template, volumeClaimTemplates, podManagementPolicy,
        updateStrategy, minReadySeconds, revisionHistoryLimit, ordinals, persistentVolumeClaimRetentionPolicy,
        volumeClaimUpdateStrategy, volumeReuse);
  }

  @Override
  public String toString() {
    return "OrdinalSetSpec{replicas=" + replicas + ", selector=" + selector + ", serviceName=" + serviceName
        + ", template=" + template + ", volumeClaimTemplates=" + volumeClaimTemplates
        + ", podManagementPolicy=" + podManagementPolicy + ", updateStrategy=" + updateStrategy
        + ", minReadySeconds=" + minReadySeconds + ", revisionHistoryLimit=" + revisionHistoryLimit
        + ", ordinals=" + ordinals + ", retention=" + persistentVolumeClaimRetentionPolicy
        + ", volumeClaimUpdateStrategy=" + volumeClaimUpdateStrategy + ", volumeReuse=" + volumeReuse + "}";
  }
}
