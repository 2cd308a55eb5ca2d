package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The resource types the embedded API server serves: a fixed set of built-ins plus the installed CRDs. */
public final class ResourceCatalog {

  private static final List<String> ALL = List.of("all");

  private static final List<ApiResource> BUILT_INS = List.of(
      builtIn("", "v1", "pods", "Pod", true, List.of("po"), ALL, "status", "log", "binding", "eviction"),
      builtIn("", "v1", "services", "Service", true, List.of("svc"), ALL, "status"),
      builtIn("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"), List.of(), "status"),
      builtIn("", "v1", "persistentvolumes", "PersistentVolume", false, List.of("pv"), List.of(), "status"),
      builtIn("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of()),
      builtIn("", "v1", "secrets", "Secret", true, List.of(), List.of()),
      builtIn("", "v1", "events", "Event", true, List.of("ev"), List.of()),
      builtIn("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of(), "status"),
      builtIn("", "v1", "nodes", "Node", false, List.of("no"), List.of(), "status"),
      builtIn("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of()),
      builtIn("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of()),
      builtIn("apps", "v1", "statefulsets", "StatefulSet", true, List.of("sts"), ALL, "status", "scale"),
      builtIn("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), ALL, "status", "scale"),
      builtIn("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), ALL, "status", "scale"),
      builtIn("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), ALL, "status"),
      builtIn("apps", "v1", "controllerrevisions", "ControllerRevision", true, List.of(), List.of()),
      builtIn("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, List.of("sc"), List.of()),
      builtIn("coordination.k8s.io", "v1", "leases", "Lease", true, List.of(), List.of()),
      builtIn("events.k8s.io", "v1", "events", "Event", true, List.of("ev"), List.of()),
      builtIn("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, List.of("pdb"), List.of(), "status"),
      builtIn("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
          List.of("crd", "crds"), List.of("api-extensions"), "status"));

  private final Supplier<List<JsonNode>> crds;
  /**
   * The catalogue as last built: listing the stored CRDs scans the whole store, and routing needs
   * the catalogue on every request, so it is rebuilt only after a CRD write ({@link #invalidate}).
   */
  private volatile List<ApiResource> cached;
  /** Bumped by every invalidation, so a build that raced with a CRD write is not kept. */
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

  /** @param crds supplies the stored CustomResourceDefinition objects */
  public ResourceCatalog(Supplier<List<JsonNode>> crds) {
    this.crds = crds;
  }

  /** A CustomResourceDefinition was written: the next lookup rebuilds the catalogue. */
  public void invalidate() {
    generation.incrementAndGet();
    cached = null;
  }

  private static ApiResource builtIn(String group, String version, String plural, String kind, boolean namespaced,
      List<String> shortNames, List<String> categories, String... subresources) {
    return new ApiResource(group, version, plural, kind.toLowerCase(), kind, namespaced, shortNames, categories,
        List.of(subresources), null);
  }

  public List<ApiResource> all() {
    List<ApiResource> current = cached;
    if (current == null) {
      long before = generation.get();
      current = List.copyOf(build());
      if (generation.get() == before) {
        cached = current;
      }
    }
    return current;
  }

  private List<ApiResource> build() {
    List<ApiResource> out = new ArrayList<>(BUILT_INS);
    for (JsonNode crd : crds.get()) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      for (JsonNode v : spec.path("versions")) {
        if (!v.path("served").asBoolean(true)) {
          continue;
        }
        List<String> subs = new ArrayList<>();
        v.path("subresources").fieldNames().forEachRemaining(subs::add);
        out.add(new ApiResource(spec.path("group").asText(), v.path("name").asText(), names.path("plural").asText(),
            names.path("singular").asText(names.path("kind").asText().toLowerCase()), names.path("kind").asText(),
            !"Cluster".equals(spec.path("scope").asText()), strings(names.path("shortNames")),
            strings(names.path("categories")), subs, v));
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  public Optional<ApiResource> find(String group, String version, String plural) {
    return all().stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  public Optional<ApiResource> findByKind(String apiVersion, String kind) {
    return all().stream().filter(r -> r.apiVersion().equals(apiVersion) && r.kind().equals(kind)).findFirst();
  }

  /** group name -> versions, core group left out, in the order discovery should list them. */
  public Map<String, List<String>> groups() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ApiResource r : all()) {
      if (!r.group().isEmpty()) {
        List<String> versions = out.computeIfAbsent(r.group(), g -> new ArrayList<>());
        if (!versions.contains(r.version())) {
          versions.add(r.version());
        }
      }
    }
    return out;
  }

  public boolean isCustomGroup(String group) {
    return all().stream().anyMatch(r -> r.isCustom() && r.group().equals(group));
  }

  static JsonNode readTree(ObjectMapper mapper, String json) {
    try {
      return mapper.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored object is not JSON", e);
    }
  }
}
