package dev.ordinal.revision;

import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import dev.ordinal.api.v1alpha1.RetentionPolicyType;
import dev.ordinal.api.v1alpha1.UpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeClaimUpdateStrategyType;
import dev.ordinal.api.v1alpha1.VolumeReuseType;
import dev.ordinal.naming.Labels;
import dev.ordinal.spec.SetDefinition;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/** Sets, templates, pods and stored revisions for the revision tests. */
final class RevisionFixtures {
  static final String NAMESPACE = "default";
  static final String SET = "web";
  static final String UID = "uid-web";
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final RevisionHash HASH = new RevisionHash();
  static final Revisions REVISIONS = new Revisions(HASH);

  private RevisionFixtures() {}

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", "nginx")).endMetadata()
        .withNewSpec()
        .withContainers(new ContainerBuilder().withName("nginx").withImage(image).build())
        .endSpec()
        .build();
  }

  static SetDefinition set(PodTemplateSpec template, int historyLimit) {
    return new SetDefinition(
        NAMESPACE, SET, UID, 1, 3, 0,
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "nginx")).build(),
        "nginx", template, List.of(),
        PodManagementPolicy.OrderedReady, UpdateStrategyType.RollingUpdate, 0,
        new IntOrString(1), 0, historyLimit,
        RetentionPolicyType.Retain, RetentionPolicyType.Retain,
        VolumeClaimUpdateStrategyType.InPlace, VolumeReuseType.Never);
  }

  static SetDefinition set(String image) {
    return set(template(image), 10);
  }

  /** A revision of the set as the operator would have stored it, read back as fabric8 reads it. */
  static ControllerRevision stored(String image, long number) {
    PodTemplateSpec template = template(image);
    return stored(HASH.revisionName(SET, template, 0), template, number);
  }

  static ControllerRevision stored(String name, PodTemplateSpec template, long number) {
    ControllerRevision written =
        Revisions.newRevision(set(template, 10), name, RevisionPayload.of(template), number);
    return readBack(written);
  }

  /** Through JSON, as the informer cache holds it: {@code data} comes back however fabric8 reads it. */
  static ControllerRevision readBack(ControllerRevision revision) {
    return SERIALIZATION.unmarshal(SERIALIZATION.asJson(revision), ControllerRevision.class);
  }

  static Pod pod(int ordinal, String revisionName) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(NAMESPACE)
        .withName(SET + "-" + ordinal)
        .withLabels(Map.of(Labels.REVISION_HASH, revisionName, Labels.SET_NAME, SET))
        .endMetadata()
        .build();
  }

  static String name(ControllerRevision revision) {
    return revision.getMetadata().getName();
  }
}
