package dev.ordinal.testing;

import dev.ordinal.api.v1alpha1.OrdinalSet;
import dev.ordinal.sandbox.KubeletSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What an operator test needs of its tier: an admin client, this test's own namespace, the kubelet
 * simulator. {@link OperatorHarness} is the fabric8 mock; {@code real.RealHarness} is a real
 * control plane with the cluster's own controllers. Scenario classes are written once against this
 * and run on both tiers.
 */
public interface Harness {
  KubernetesClient client();

  /** This test's own namespace (it exists on the real tier; the mock needs none). */
  String namespace();

  KubeletSimulator kubelet();

  /** True on the real control plane: the cluster's PV binder and garbage collector run there. */
  boolean isReal();

  default OrdinalSet set(String name) {
    return client().resources(OrdinalSet.class).inNamespace(namespace()).withName(name).get();
  }
}
