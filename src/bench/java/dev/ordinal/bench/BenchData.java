package dev.ordinal.bench;

import dev.ordinal.binding.ClaimToBind;
import dev.ordinal.binding.StorageClasses;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic cluster of N PersistentVolumes and N claims with a realistic mix.
 *
 * <p>Volumes: class manual 60%, fast 25%, slow 10%, none ("") 5%; sizes 1Gi..100Gi weighted
 * toward the small end; access modes RWO 80%, RWO+RWX 10%, ROX 5%, RWO+ROX+RWX 5%; Block 3%;
 * labels (zone, some tier) on 20%. Special volumes: 2% pre-bound by an admin to one of the
 * claims (claimRef without uid, Available), 1% Bound to one of the claims (which is Bound too),
 * 2% Bound to claims of another namespace, 1% Released.
 *
 * <p>Claims are generated one per volume, with the same class and volume mode, a request no
 * larger than that volume (60% equal, else smaller), a subset of its access modes and, for
 * half the labelled volumes, a selector the volume satisfies; so a full matching exists and
 * most claims fit. 1% ask for 500Gi and fit nothing. 70% have a uid (existing Pending claims),
 * the rest none (claims about to be created). The claim list is shuffled.
 */
record BenchData(List<PersistentVolume> volumes, List<ClaimToBind> claims, StorageClasses classes) {
  static final String NAMESPACE = "bench";
  static final String RWO = "ReadWriteOnce";
  static final String ROX = "ReadOnlyMany";
  static final String RWX = "ReadWriteMany";
  static final String[] SIZES = {"1Gi", "2Gi", "5Gi", "10Gi", "20Gi", "50Gi", "100Gi"};
  /** The same sizes as a user might write some of them, so quantities need real conversion. */
  static final String[] SIZES_IN_MI = {"1024Mi", "2048Mi", "5120Mi", "10240Mi", "20480Mi", "51200Mi", "102400Mi"};
  static final int[] SIZE_WEIGHTS = {15, 20, 20, 20, 12, 8, 5};
  static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};

  static BenchData generate(int n, long seed) {
    Random random = new Random(seed);
    List<PersistentVolume> volumes = new ArrayList<>(n);
    List<ClaimToBind> claims = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String pvName = String.format("pv-%06d", i);
      String claimName = String.format("claim-%06d", i);
      String claimUid = random.nextDouble() < 0.70 ? "uid-" + i : null;

      double c = random.nextDouble();
      String storageClass = c < 0.60 ? "manual" : c < 0.85 ? "fast" : c < 0.95 ? "slow" : "";
      int size = weighted(random, SIZE_WEIGHTS);
      double m = random.nextDouble();
      List<String> pvModes =
          m < 0.80 ? List.of(RWO) : m < 0.90 ? List.of(RWO, RWX) : m < 0.95 ? List.of(ROX) : List.of(RWO, ROX, RWX);
      String volumeMode = random.nextDouble() < 0.03 ? "Block" : null; // null = Filesystem
      Map<String, String> labels = new LinkedHashMap<>();
      if (random.nextDouble() < 0.20) {
        labels.put("topology.example.com/zone", ZONES[random.nextInt(ZONES.length)]);
        if (random.nextBoolean()) {
          labels.put("tier", random.nextBoolean() ? "gold" : "silver");
        }
      }

      // What is special about this pair, if anything.
      double s = random.nextDouble();
      boolean preBound = s < 0.02;
      boolean alreadyBound = s >= 0.02 && s < 0.03;
      boolean boundElsewhere = s >= 0.03 && s < 0.05;
      boolean released = s >= 0.05 && s < 0.06;
      if (alreadyBound && claimUid == null) {
        claimUid = "uid-" + i;
      }

      PersistentVolumeBuilder pv =
          new PersistentVolumeBuilder()
              .withNewMetadata().withName(pvName).withLabels(labels.isEmpty() ? null : labels).endMetadata()
              .withNewSpec()
              .withStorageClassName(storageClass.isEmpty() ? null : storageClass)
              .withCapacity(Map.of("storage", new Quantity(SIZES[size])))
              .withAccessModes(pvModes)
              .withVolumeMode(volumeMode)
              .withPersistentVolumeReclaimPolicy("Retain")
              .withNewHostPath().withPath("/mnt/data/" + pvName).endHostPath()
              .endSpec();
      String phase = "Available";
      if (preBound) {
        pv.editSpec().withNewClaimRef().withNamespace(NAMESPACE).withName(claimName).endClaimRef().endSpec();
      } else if (alreadyBound) {
        pv.editSpec().withNewClaimRef().withNamespace(NAMESPACE).withName(claimName).withUid(claimUid).endClaimRef().endSpec();
        phase = "Bound";
      } else if (boundElsewhere || released) {
        pv.editSpec().withNewClaimRef().withNamespace("other").withName("app-" + i).withUid("other-uid-" + i).endClaimRef().endSpec();
        phase = released ? "Released" : "Bound";
      }
      volumes.add(pv.withNewStatus().withPhase(phase).endStatus().build());

      // The claim paired with this volume.
      boolean impossible = random.nextDouble() < 0.01;
      int requestSize = random.nextDouble() < 0.60 ? size : random.nextInt(size + 1);
      String request =
          impossible ? "500Gi" : random.nextDouble() < 0.10 ? SIZES_IN_MI[requestSize] : SIZES[requestSize];
      List<String> claimModes;
      if (pvModes.size() == 1) {
        claimModes = pvModes;
      } else {
        claimModes = List.of(pvModes.get(1 + random.nextInt(pvModes.size() - 1)));
        if (random.nextDouble() < 0.5) {
          claimModes = List.of(RWO);
        }
      }
      LabelSelector selector = null;
      if (!labels.isEmpty() && random.nextDouble() < 0.5) {
        String zone = labels.get("topology.example.com/zone");
        selector =
            random.nextDouble() < 0.8
                ? new LabelSelectorBuilder().addToMatchLabels("topology.example.com/zone", zone).build()
                : new LabelSelectorBuilder()
                    .addNewMatchExpression().withKey("topology.example.com/zone").withOperator("In")
                    .withValues(zone, ZONES[(java.util.Arrays.asList(ZONES).indexOf(zone) + 1) % ZONES.length])
                    .endMatchExpression()
                    .build();
      }
      PersistentVolumeClaimBuilder claim =
          new PersistentVolumeClaimBuilder()
              .withNewMetadata().withNamespace(NAMESPACE).withName(claimName).withUid(claimUid).endMetadata()
              .withNewSpec()
              .withStorageClassName(storageClass)
              .withAccessModes(claimModes)
              .withVolumeMode(volumeMode)
              .withSelector(selector)
              .withNewResources().addToRequests("storage", new Quantity(request)).endResources()
              .endSpec();
      if (alreadyBound) {
        claim.editSpec().withVolumeName(pvName).endSpec().withNewStatus().withPhase("Bound").endStatus();
      } else {
        claim.withNewStatus().withPhase("Pending").endStatus();
      }
      claims.add(ClaimToBind.of(claim.build()));
    }
    Collections.shuffle(claims, random);
    Collections.shuffle(volumes, random); // informer caches hand volumes over in no useful order
    return new BenchData(List.copyOf(volumes), List.copyOf(claims), StorageClasses.of(staticClasses()));
  }

  /** All three classes are static (no provisioner), bound immediately. */
  private static List<StorageClass> staticClasses() {
    return List.of("manual", "fast", "slow").stream()
        .map(name -> new StorageClassBuilder()
            .withNewMetadata().withName(name).endMetadata()
            .withProvisioner(StorageClasses.NO_PROVISIONER)
            .withVolumeBindingMode("Immediate")
            .build())
        .toList();
  }

  private static int weighted(Random random, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int pick = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
