package dev.ordinal.testing;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.api.v1alpha1.OrdinalSetSpec;
import dev.ordinal.api.v1alpha1.PodManagementPolicy;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for the objects tests create; defaults follow the seeds' canonical web example. */
public final class Fixtures {
  private Fixtures() {}

  /** The seeds' web set: nginx pods, one www claim of 1Gi RWO in class manual. */
  public static OrdinalSet web(String namespace, int replicas) {
    return set(namespace, "web", replicas, "manual", "1Gi");
  }

  public static OrdinalSet set(String namespace, String name, int replicas, String storageClass, String size) {
    OrdinalSetSpec spec = new OrdinalSetSpec();
    spec.setReplicas(replicas);
    spec.setServiceName("nginx");
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "nginx")).build());
    spec.setTemplate(new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", "nginx")).endMetadata()
        .withNewSpec()
        .withContainers(new ContainerBuilder()
            .withName("nginx").withImage("nginx:1.9.1")
            .withPorts(new ContainerPortBuilder().withContainerPort(80).withName("web").build())
            .withVolumeMounts(new VolumeMountBuilder().withName("www").withMountPath("/usr/share/nginx/html").build())
            .build())
        .endSpec()
        .build());
    spec.setVolumeClaimTemplates(new ArrayList<>(List.of(claimTemplate("www", storageClass, size, "ReadWriteOnce"))));
    OrdinalSet set = new OrdinalSet();
    set.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    set.setSpec(spec);
    return set;
  }

  /**
   * The same set as an apps/v1 StatefulSet labelled for the storage mode (the OrdinalSet spec is
   * a superset, so the fields carry over one to one).
   */
  public static io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(String namespace, String name, int replicas,
      String storageClass, String size) {
    OrdinalSetSpec spec = set(namespace, name, replicas, storageClass, size).getSpec();
    return new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(new java.util.HashMap<>(Map.of(dev.ordinal.spec.StatefulSetDefinitions.STORAGE_LABEL,
            dev.ordinal.spec.StatefulSetDefinitions.STORAGE_MANAGED)))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(spec.getServiceName())
        .withSelector(spec.getSelector())
        .withTemplate(spec.getTemplate())
        .withVolumeClaimTemplates(spec.getVolumeClaimTemplates())
        .endSpec()
        .build();
  }

  public static OrdinalSet parallel(OrdinalSet set) {
    set.getSpec().setPodManagementPolicy(PodManagementPolicy.Parallel);
    return set;
  }

  public static PersistentVolumeClaim claimTemplate(String name, String storageClass, String size, String... accessModes) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withAccessModes(accessModes)
        .withStorageClassName(storageClass)
        .withNewResources().withRequests(Map.of("storage", new Quantity(size))).endResources()
        .endSpec()
        .build();
  }

  /** A static hostPath PV, already Available (the cluster's PV controller would have marked it). */
  public static PersistentVolume pv(String name, String size, String storageClass, String... accessModes) {
    return new PersistentVolumeBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity(size)))
        .withAccessModes(accessModes.length == 0 ? new String[] {"ReadWriteOnce"} : accessModes)
        .withStorageClassName(storageClass)
        .withPersistentVolumeReclaimPolicy("Retain")
        .withNewHostPath().withPath("/tmp/" + name).endHostPath()
        .endSpec()
        .withNewStatus().withPhase("Available").endStatus()
        .build();
  }

  public static PersistentVolume withLabels(PersistentVolume pv, Map<String, String> labels) {
    pv.getMetadata().setLabels(labels);
    return pv;
  }

  public static StorageClass storageClass(String name, String provisioner, String bindingMode, boolean isDefault) {
    var b = new StorageClassBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withProvisioner(provisioner)
        .withVolumeBindingMode(bindingMode);
    if (isDefault) {
      b.editMetadata().withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true")).endMetadata();
    }
    return b.build();
  }
}
