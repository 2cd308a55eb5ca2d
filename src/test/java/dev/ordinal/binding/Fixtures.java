package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Terse builders for the objects binding tests need, defaulting to the tutorial's values. */
final class Fixtures {
  static final String NS = "default";
  static final String RWO = "ReadWriteOnce";
  static final String ROX = "ReadOnlyMany";
  static final String RWX = "ReadWriteMany";
  static final String RWOP = "ReadWriteOncePod";

  private Fixtures() {}

  static Pv pv(String name) {
    return new Pv(name);
  }

  static Claim claim(String name) {
    return new Claim(name);
  }

  /** A PersistentVolume: class manual, 1Gi, RWO, Available unless told otherwise. */
  static final class Pv {
    private final String name;
    private String storageClass = "manual";
    private String capacity = "1Gi";
    private List<String> modes = List.of(RWO);
    private String volumeMode;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String phase = "Available";
    private String[] claimRef;
    private List<NodeSelectorTerm> nodeTerms;

    private Pv(String name) {
      this.name = name;
    }

    Pv storageClass(String value) {
      this.storageClass = value;
      return this;
    }

    Pv capacity(String value) {
      this.capacity = value;
      return this;
    }

    Pv modes(String... value) {
      this.modes = List.of(value);
      return this;
    }

    Pv volumeMode(String value) {
      this.volumeMode = value;
      return this;
    }

    Pv label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    Pv phase(String value) {
      this.phase = value;
      return this;
    }

    /** claimRef to namespace/name with this uid (null for none). */
    Pv claimRef(String claimName, String uid) {
      this.claimRef = new String[] {NS, claimName, uid};
      return this;
    }

    Pv nodeAffinity(NodeSelectorTerm... terms) {
      this.nodeTerms = Arrays.asList(terms);
      return this;
    }

    PersistentVolume build() {
      var builder =
          new PersistentVolumeBuilder()
              .withNewMetadata()
              .withName(name)
              .withResourceVersion("7")
              .withLabels(labels.isEmpty() ? null : labels)
              .endMetadata()
              .withNewSpec()
              .withStorageClassName(storageClass)
              .withCapacity(Map.of("storage", new Quantity(capacity)))
              .withAccessModes(modes)
              .withVolumeMode(volumeMode)
              .withPersistentVolumeReclaimPolicy("Retain")
              .withNewHostPath()
              .withPath("/mnt/data/" + name)
              .endHostPath()
              .endSpec();
      if (phase != null) {
        builder.withNewStatus().withPhase(phase).endStatus();
      }
      if (claimRef != null) {
        builder
            .editSpec()
            .withClaimRef(
                new ObjectReferenceBuilder()
                    .withKind("PersistentVolumeClaim")
                    .withApiVersion("v1")
                    .withNamespace(claimRef[0])
                    .withName(claimRef[1])
                    .withUid(claimRef[2])
                    .build())
            .endSpec();
      }
      if (nodeTerms != null) {
        builder
            .editSpec()
            .withNewNodeAffinity()
            .withNewRequired()
            .withNodeSelectorTerms(nodeTerms)
            .endRequired()
            .endNodeAffinity()
            .endSpec();
      }
      return builder.build();
    }
  }

  /** A claim in namespace default: class manual, 1Gi, RWO, not created yet (no uid). */
  static final class Claim {
    private final String name;
    private String storageClass = "manual";
    private String request = "1Gi";
    private List<String> modes = List.of(RWO);
    private String volumeMode;
    private LabelSelector selector;
    private String volumeName;
    private String uid;
    private String phase;
    private final Map<String, String> annotations = new LinkedHashMap<>();

    private Claim(String name) {
      this.name = name;
    }

    Claim storageClass(String value) {
      this.storageClass = value;
      return this;
    }

    Claim request(String value) {
      this.request = value;
      return this;
    }

    Claim modes(String... value) {
      this.modes = List.of(value);
      return this;
    }

    Claim volumeMode(String value) {
      this.volumeMode = value;
      return this;
    }

    Claim selector(LabelSelector value) {
      this.selector = value;
      return this;
    }

    Claim volumeName(String value) {
      this.volumeName = value;
      return this;
    }

    Claim uid(String value) {
      this.uid = value;
      return this;
    }

    Claim phase(String value) {
      this.phase = value;
      return this;
    }

    Claim annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    PersistentVolumeClaim build() {
      var builder =
          new PersistentVolumeClaimBuilder()
              .withNewMetadata()
              .withNamespace(NS)
              .withName(name)
              .withUid(uid)
              .withAnnotations(annotations.isEmpty() ? null : annotations)
              .endMetadata()
              .withNewSpec()
              .withStorageClassName(storageClass)
              .withAccessModes(modes)
              .withVolumeMode(volumeMode)
              .withSelector(selector)
              .withVolumeName(volumeName)
              .withNewResources()
              .addToRequests("storage", new Quantity(request))
              .endResources()
              .endSpec();
      if (phase != null) {
        builder.withNewStatus().withPhase(phase).endStatus();
      }
      return builder.build();
    }

    ClaimToBind toBind() {
      return new ClaimToBind(build(), null);
    }

    ClaimToBind onNode(String nodeName) {
      return new ClaimToBind(build(), nodeName);
    }
  }

  static LabelSelector matchLabels(String key, String value) {
    return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
  }

  static LabelSelector matchExpression(String key, String operator, String... values) {
    return new LabelSelectorBuilder()
        .withMatchExpressions(new LabelSelectorRequirement(key, operator, List.of(values)))
        .build();
  }

  static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
    return new NodeSelectorTermBuilder().withMatchExpressions(expressions).build();
  }

  static NodeSelectorTerm fieldTerm(NodeSelectorRequirement... fields) {
    return new NodeSelectorTermBuilder().withMatchFields(fields).build();
  }

  static NodeSelectorRequirement requirement(String key, String operator, String... values) {
    return new NodeSelectorRequirement(key, operator, List.of(values));
  }

  static Node node(String name, String... labelPairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
  }

  static StorageClass storageClass(String name, String provisioner, String bindingMode) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withProvisioner(provisioner)
        .withVolumeBindingMode(bindingMode)
        .build();
  }

  static StorageClass defaultClass(String name, String creationTimestamp) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(creationTimestamp)
        .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
        .endMetadata()
        .withProvisioner("example.com/csi")
        .build();
  }

  static List<PersistentVolume> volumes(Pv... pvs) {
    return Arrays.stream(pvs).map(Pv::build).toList();
  }
}
