package dev.ordinal.planning;

import dev.ordinal.naming.Labels;
import dev.ordinal.naming.OrdinalNames;
import dev.ordinal.naming.OwnerRefs;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the pod of one ordinal from a template (upstream newVersionedStatefulSetPod). */
public final class PodFactory {
  private PodFactory() {}

  public static Pod newPod(SetDefinition set, PodTemplateSpec template, String revisionName, int ordinal) {
    String name = OrdinalNames.podName(set.name(), ordinal);
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(Labels.SET_NAME, set.name());
    labels.put(Labels.POD_INDEX, Integer.toString(ordinal));
    labels.put(Labels.POD_NAME, name);
    labels.put(Labels.REVISION_HASH, revisionName);
    Map<String, String> annotations = template.getMetadata() == null || template.getMetadata().getAnnotations() == null
        ? Map.of() : template.getMetadata().getAnnotations();
    PodSpec spec = new PodSpecBuilder(template.getSpec())
        .withHostname(name)
        .withSubdomain(set.serviceName())
        .withVolumes(volumes(set, template.getSpec(), ordinal))
        .build();
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(set.namespace())
            .withLabels(labels)
            .withAnnotations(annotations.isEmpty() ? null : new LinkedHashMap<>(annotations))
            .withOwnerReferences(OwnerRefs.controllerOf(set.name(), set.uid()))
            .build())
        .withSpec(spec)
        .build();
  }

  /** Claim volumes replace template volumes of the same name, as upstream updateStorage does. */
  private static List<Volume> volumes(SetDefinition set, PodSpec templateSpec, int ordinal) {
    List<String> claimTemplates = set.claimTemplateNames();
    List<Volume> volumes = new ArrayList<>();
    if (templateSpec.getVolumes() != null) {
      for (Volume v : templateSpec.getVolumes()) {
        if (!claimTemplates.contains(v.getName())) {
          volumes.add(new VolumeBuilder(v).build());
        }
      }
    }
    for (String template : claimTemplates) {
      volumes.add(new VolumeBuilder()
          .withName(template)
          .withNewPersistentVolumeClaim(OrdinalNames.claimName(template, set.name(), ordinal), false)
          .build());
    }
    return volumes;
  }
}
