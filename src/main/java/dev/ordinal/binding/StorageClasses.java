package dev.ordinal.binding;

import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The cluster's StorageClasses by name, with the few questions binding asks of them. */
public record StorageClasses(Map<String, StorageClass> byName) {
  /** The provisioner name Kubernetes uses for "static volumes only". */
  public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  static final String BETA_DEFAULT_CLASS_ANNOTATION =
      "storageclass.beta.kubernetes.io/is-default-class";

  private static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";

  public StorageClasses {
    byName = byName == null ? Map.of() : Map.copyOf(byName);
  }

  public static StorageClasses of(Collection<StorageClass> classes) {
    return new StorageClasses(
        classes.stream()
            .collect(
                Collectors.toMap(
                    c -> c.getMetadata().getName(), Function.identity(), (a, b) -> a)));
  }

  public static StorageClasses none() {
    return new StorageClasses(Map.of());
  }

  public Optional<StorageClass> get(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
  }

  public Optional<String> provisioner(String name) {
    return get(name).map(StorageClass::getProvisioner);
  }

  /** True when the class names a provisioner that actually creates volumes. */
  public boolean provisionsDynamically(String name) {
    return provisioner(name).filter(p -> !p.isBlank() && !NO_PROVISIONER.equals(p)).isPresent();
  }

  public boolean isWaitForFirstConsumer(String name) {
    return get(name).map(c -> WAIT_FOR_FIRST_CONSUMER.equals(c.getVolumeBindingMode())).orElse(false);
  }

  public boolean allowsExpansion(String name) {
    return get(name).map(c -> Boolean.TRUE.equals(c.getAllowVolumeExpansion())).orElse(false);
  }

  public Optional<String> defaultClassName() {
    return defaultClassName(byName.values());
  }

  /**
   * The class a claim without {@code storageClassName} gets. With several defaults, Kubernetes
   * 1.26+ picks the newest by creationTimestamp, then the first by name; we do the same so a
   * migrated StatefulSet gets the class it got before.
   */
  public static Optional<String> defaultClassName(Collection<StorageClass> classes) {
    return classes.stream()
        .filter(StorageClasses::isMarkedDefault)
        .min(
            Comparator.comparing(StorageClasses::created, Comparator.reverseOrder())
                .thenComparing(c -> c.getMetadata().getName()))
        .map(c -> c.getMetadata().getName());
  }

  private static boolean isMarkedDefault(StorageClass storageClass) {
    Map<String, String> annotations = storageClass.getMetadata().getAnnotations();
    return annotations != null
        && ("true".equals(annotations.get(DEFAULT_CLASS_ANNOTATION))
            || "true".equals(annotations.get(BETA_DEFAULT_CLASS_ANNOTATION)));
  }

  /** A class without a readable creationTimestamp counts as the oldest. */
  private static Instant created(StorageClass storageClass) {
    String timestamp = storageClass.getMetadata().getCreationTimestamp();
    if (timestamp == null) {
      return Instant.MIN;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException unreadable) {
      return Instant.MIN;
    }
  }

  @Override
  public String toString() {
    return "StorageClasses" + byName.keySet().stream().sorted().toList();
  }
}
