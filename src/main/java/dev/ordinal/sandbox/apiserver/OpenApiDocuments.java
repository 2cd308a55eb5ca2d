package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The OpenAPI v3 documents kubectl reads before apply: an index of group-versions and, per group-version, the
 * PATCH operations of each kind declaring the {@code fieldValidation} query parameter. That tells kubectl the
 * server validates fields itself, so it skips client-side schema validation (no schemas are published, so for
 * built-ins kubectl computes strategic merge patches from its compiled-in types). v2 is not served (404).
 */
public final class OpenApiDocuments {

  private static final String PREFIX = "/openapi/v3/";

  private final ObjectMapper mapper;
  private final ResourceCatalog catalog;

  public OpenApiDocuments(ObjectMapper mapper, ResourceCatalog catalog) {
    this.mapper = mapper;
    this.catalog = catalog;
  }

  public Optional<ObjectNode> forPath(String path) {
    if (path.equals("/openapi/v3") || path.equals(PREFIX)) {
      return Optional.of(index());
    }
    if (path.startsWith(PREFIX)) {
      String gv = path.substring(PREFIX.length());
      List<ApiResource> resources = catalog.all().stream().filter(r -> gvPath(r).equals(gv)).toList();
      return resources.isEmpty() ? Optional.empty() : Optional.of(groupVersion(resources));
    }
    return Optional.empty();
  }

  public boolean isOpenApiPath(String path) {
    return path.equals("/openapi/v3") || path.startsWith(PREFIX);
  }

  private static String gvPath(ApiResource r) {
    return r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
  }

  private ObjectNode index() {
    ObjectNode n = mapper.createObjectNode();
    ObjectNode paths = n.putObject("paths");
    List<ApiResource> all = catalog.all();
    for (ApiResource r : all) {
      String gv = gvPath(r);
      String hash = Integer.toHexString(all.stream().filter(x -> gvPath(x).equals(gv))
          .map(x -> x.plural() + x.kind() + x.subresources() + x.crdVersion()).toList().hashCode());
      paths.putObject(gv).put("serverRelativeURL", PREFIX + gv + "?hash=" + hash);
    }
    return n;
  }

  private ObjectNode groupVersion(List<ApiResource> resources) {
    ObjectNode doc = mapper.createObjectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes (ordinal sandbox)").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    for (ApiResource r : resources) {
      String base = "/" + gvPath(r) + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
      ObjectNode patch = paths.putObject(base).putObject("patch");
      patch.put("operationId", "patch" + r.kind());
      patch.putObject("x-kubernetes-group-version-kind").put("group", r.group()).put("version", r.version())
          .put("kind", r.kind());
      patch.put("x-kubernetes-action", "patch");
      ArrayNode params = patch.putArray("parameters");
      for (String p : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        params.addObject().put("name", p).put("in", "query").putObject("schema").put("type", "string");
      }
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }
}
