package dev.ordinal.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/** Typed access to rendered chart documents. */
final class Rendered {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Rendered() {}

  static <T extends HasMetadata> List<T> all(List<Chart.Document> documents, Class<T> type) {
    String kind = type.getSimpleName();
    return documents.stream()
        .filter(document -> document.kind().equals(kind))
        .map(document -> SERIALIZATION.unmarshal(document.yaml(), type))
        .toList();
  }

  static <T extends HasMetadata> T one(List<Chart.Document> documents, Class<T> type) {
    List<T> found = all(documents, type);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  static List<String> kinds(List<Chart.Document> documents) {
    return documents.stream().map(Chart.Document::kind).toList();
  }
}
