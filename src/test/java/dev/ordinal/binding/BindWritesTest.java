package dev.ordinal.binding;

import static dev.ordinal.binding.Fixtures.claim;
import static dev.ordinal.binding.Fixtures.pv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindWritesTest {

  @Test
  void reservingSetsClaimRefKeepsResourceVersionAndMarksBoundByController() {
    PersistentVolume free = pv("pv-a").build();
    PersistentVolume before = new PersistentVolumeBuilder(free).build();

    PersistentVolume reserved = BindWrites.reserved(free, "default", "www-web-0", null);

    assertThat(reserved.getSpec().getClaimRef().getKind()).isEqualTo("PersistentVolumeClaim");
    assertThat(reserved.getSpec().getClaimRef().getApiVersion()).isEqualTo("v1");
    assertThat(reserved.getSpec().getClaimRef().getNamespace()).isEqualTo("default");
    assertThat(reserved.getSpec().getClaimRef().getName()).isEqualTo("www-web-0");
    assertThat(reserved.getSpec().getClaimRef().getUid()).isNull();
    assertThat(reserved.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(reserved.getMetadata().getAnnotations()).containsEntry(BindWrites.BOUND_BY_CONTROLLER, "yes");
    assertThat(reserved.getStatus().getPhase()).isEqualTo("Available");
    assertThat(free).isEqualTo(before);
  }

  @Test
  void reservingAVolumeAnAdminPreBoundAddsNoControllerMark() {
    PersistentVolume preBound = pv("pv-a").claimRef("c", null).build();

    PersistentVolume reserved = BindWrites.reserved(preBound, "default", "c", null);

    assertThat(reserved).isEqualTo(preBound);
  }

  @Test
  void reservingRecordsTheUidOnceKnown() {
    PersistentVolume preBound = pv("pv-a").claimRef("c", null).build();

    assertThat(BindWrites.reserved(preBound, "default", "c", "u1").getSpec().getClaimRef().getUid()).isEqualTo("u1");
  }

  @Test
  void reservingRefusesAVolumeHoldingAnotherClaimsData() {
    assertThatThrownBy(() -> BindWrites.reserved(pv("pv-a").claimRef("other", null).build(), "default", "c", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claimed by default/other");
    assertThatThrownBy(() -> BindWrites.reserved(pv("pv-a").claimRef("c", "old").build(), "default", "c", "new"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BindWrites.reserved(pv("pv-a").claimRef("c", "old").build(), "default", "c", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boundVolumeCarriesTheClaimsUidAndPhaseBound() {
    PersistentVolumeClaim claim = claim("c").uid("u1").build();

    PersistentVolume bound = BindWrites.bound(pv("pv-a").claimRef("c", null).build(), claim);

    assertThat(bound.getSpec().getClaimRef().getUid()).isEqualTo("u1");
    assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
  }

  @Test
  void bindingAVolumeNeedsACreatedClaim() {
    assertThatThrownBy(() -> BindWrites.bound(pv("pv-a").build(), claim("c").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no uid");
  }

  @Test
  void pointingTheClaimSetsVolumeNameAndBindAnnotations() {
    PersistentVolumeClaim claim = claim("c").uid("u1").build();
    PersistentVolumeClaim before = new PersistentVolumeClaimBuilder(claim).build();

    PersistentVolumeClaim pointed = BindWrites.pointedAt(claim, "pv-a");

    assertThat(pointed.getSpec().getVolumeName()).isEqualTo("pv-a");
    assertThat(pointed.getMetadata().getAnnotations())
        .containsEntry(BindWrites.BIND_COMPLETED, "yes")
        .containsEntry(BindWrites.BOUND_BY_CONTROLLER, "yes");
    assertThat(claim).isEqualTo(before);
  }

  @Test
  void boundClaimStatusReportsWhatTheVolumeOffers() {
    PersistentVolume volume = pv("pv-a").capacity("5Gi").modes(Fixtures.RWO, Fixtures.RWX).build();
    PersistentVolumeClaim claim = claim("c").uid("u1").build();

    PersistentVolumeClaim status = BindWrites.boundStatus(claim, volume);

    assertThat(status.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(status.getStatus().getCapacity()).isEqualTo(Map.of("storage", new Quantity("5Gi")));
    assertThat(status.getStatus().getAccessModes()).containsExactly(Fixtures.RWO, Fixtures.RWX);
    assertThat(claim.getStatus()).isNull();
  }
}
