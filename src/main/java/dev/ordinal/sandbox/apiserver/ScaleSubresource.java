package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * The {@code /scale} subresource: an autoscaling/v1 Scale view of an object, mapped through the CRD's
 * specReplicasPath, statusReplicasPath and labelSelectorPath (built-ins use .spec.replicas, .status.replicas
 * and .status.selector).
 */
public final class ScaleSubresource {

  private final ObjectMapper mapper;
  private final PatchApplier patches;
  private final StatusResponses statuses;

  public ScaleSubresource(ObjectMapper mapper, PatchApplier patches, StatusResponses statuses) {
    this.mapper = mapper;
    this.patches = patches;
    this.statuses = statuses;
  }

  private record Paths(String specReplicas, String statusReplicas, String selector) {
  }

  MockResponse handle(RecordedRequest request, ApiRequest api, ApiResource resource, SandboxDispatcher server) {
    if (!resource.hasSubresource("scale")) {
      return statuses.failure(404, "NotFound", "the server could not find the requested resource", null, null, null);
    }
    Paths paths = paths(resource);
    Optional<JsonNode> current = server.read(api.objectPath());
    if (current.isEmpty()) {
      return server.notFound(api, resource);
    }
    ObjectNode scale = toScale(current.get(), paths);
    String method = request.getMethod().toUpperCase();
    if (method.equals("GET")) {
      return statuses.json(200, scale.toString());
    }
    JsonNode wanted;
    if (method.equals("PUT")) {
      wanted = server.tree(request.getUtf8Body());
    } else if (method.equals("PATCH")) {
      Optional<JsonNode> patched = patches.apply(request.getHeader("Content-Type"), scale,
          server.tree(request.getUtf8Body()), false);
      if (patched.isEmpty()) {
        return statuses.failure(415, "UnsupportedMediaType", "unsupported patch type", null, null, null);
      }
      wanted = patched.get();
    } else {
      return statuses.failure(405, "MethodNotAllowed", "method not allowed", null, null, null);
    }
    String rv = wanted.path("metadata").path("resourceVersion").asText("");
    String currentRv = current.get().path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty() && !rv.equals(currentRv)) {
      return statuses.failure(409, "Conflict", "Operation cannot be fulfilled on %s.%s \"%s\": the object has been "
          .formatted(resource.plural(), resource.group(), api.name()) + "modified; please apply your changes to the "
          + "latest version and try again", resource.plural(), api.name(), resource.group());
    }
    ObjectNode updated = current.get().deepCopy();
    set(updated, paths.specReplicas(), mapper.getNodeFactory().numberNode(wanted.path("spec").path("replicas")
        .asInt(0)));
    MockResponse stored = server.store(api.objectPath(), ApiRequest.parse(api.objectPath()), resource, updated,
        current.get());
    if (stored.code() >= 300) {
      return stored;
    }
    return statuses.json(200, toScale(server.tree(stored.getBody().readUtf8()), paths).toString());
  }

  private static Paths paths(ApiResource resource) {
    if (resource.isCustom()) {
      JsonNode s = resource.crdVersion().path("subresources").path("scale");
      return new Paths(s.path("specReplicasPath").asText(".spec.replicas"),
          s.path("statusReplicasPath").asText(".status.replicas"), s.path("labelSelectorPath").asText(""));
    }
    return new Paths(".spec.replicas", ".status.replicas", ".status.selector");
  }

  private ObjectNode toScale(JsonNode object, Paths paths) {
    ObjectNode scale = mapper.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    JsonNode m = object.path("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (m.has(f)) {
        meta.set(f, m.get(f));
      }
    }
    scale.putObject("spec").put("replicas", get(object, paths.specReplicas()).asInt(0));
    ObjectNode status = scale.putObject("status").put("replicas", get(object, paths.statusReplicas()).asInt(0));
    if (!paths.selector().isEmpty() && get(object, paths.selector()).isTextual()) {
      status.put("selector", get(object, paths.selector()).asText());
    }
    return scale;
  }

  private static JsonNode get(JsonNode object, String path) {
    JsonNode n = object;
    for (String p : path.replaceFirst("^\\.", "").split("\\.")) {
      n = n.path(p);
    }
    return n;
  }

  private static void set(ObjectNode object, String path, JsonNode value) {
    String[] parts = path.replaceFirst("^\\.", "").split("\\.");
    ObjectNode n = object;
    for (int i = 0; i < parts.length - 1; i++) {
      n = n.has(parts[i]) && n.get(parts[i]).isObject() ? (ObjectNode) n.get(parts[i]) : n.putObject(parts[i]);
    }
    n.set(parts[parts.length - 1], value);
  }
}
