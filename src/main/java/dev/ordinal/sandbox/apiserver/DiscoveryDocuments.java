package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Legacy (unaggregated) discovery documents: /api, /api/v1, /apis, /apis/g, /apis/g/v, /version, /. */
public final class DiscoveryDocuments {

  private final ObjectMapper mapper;
  private final ResourceCatalog catalog;

  public DiscoveryDocuments(ObjectMapper mapper, ResourceCatalog catalog) {
    this.mapper = mapper;
    this.catalog = catalog;
  }

  /** @return the document for this path, or empty when the path is not a discovery path */
  public Optional<ObjectNode> forPath(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    String[] seg = p.split("/");
    if (p.equals("/version")) {
      return Optional.of(version());
    }
    if (p.equals("/api")) {
      ObjectNode n = mapper.createObjectNode().put("kind", "APIVersions");
      n.putArray("versions").add("v1");
      n.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
          .put("serverAddress", "127.0.0.1");
      return Optional.of(n);
    }
    if (p.equals("/api/v1")) {
      return Optional.of(resourceList("", "v1"));
    }
    if (p.equals("/apis")) {
      ObjectNode n = mapper.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
      ArrayNode groups = n.putArray("groups");
      catalog.groups().forEach((g, versions) -> groups.add(group(g, versions)));
      return Optional.of(n);
    }
    if (seg.length == 3 && seg[1].equals("apis")) {
      List<String> versions = catalog.groups().get(seg[2]);
      return versions == null ? Optional.empty() : Optional.of(group(seg[2], versions).put("kind", "APIGroup")
          .put("apiVersion", "v1"));
    }
    if (seg.length == 4 && seg[1].equals("apis")) {
      List<String> versions = catalog.groups().get(seg[2]);
      return versions == null || !versions.contains(seg[3]) ? Optional.empty()
          : Optional.of(resourceList(seg[2], seg[3]));
    }
    return Optional.empty();
  }

  public boolean isDiscoveryPath(String path) {
    return path.equals("/api") || path.equals("/api/v1") || path.equals("/apis") || path.equals("/version")
        || (path.startsWith("/apis/") && path.split("/").length <= 4);
  }

  private ObjectNode version() {
    return mapper.createObjectNode().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-ordinal-sandbox")
        .put("gitCommit", "sandbox").put("gitTreeState", "clean").put("buildDate", "2026-01-01T00:00:00Z")
        .put("goVersion", "go1.23").put("compiler", "gc").put("platform", "linux/amd64");
  }

  private ObjectNode group(String name, List<String> versions) {
    ObjectNode g = mapper.createObjectNode().put("name", name);
    ArrayNode vs = g.putArray("versions");
    versions.forEach(v -> vs.addObject().put("groupVersion", name + "/" + v).put("version", v));
    g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
    return g;
  }

  private ObjectNode resourceList(String group, String version) {
    ObjectNode n = mapper.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = n.putArray("resources");
    for (ApiResource r : catalog.all()) {
      if (!r.group().equals(group) || !r.version().equals(version)) {
        continue;
      }
      ObjectNode o = resources.addObject().put("name", r.plural()).put("singularName", r.singular())
          .put("namespaced", r.namespaced()).put("kind", r.kind());
      ArrayNode verbs = o.putArray("verbs");
      ApiResource.VERBS.forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode sn = o.putArray("shortNames");
        r.shortNames().forEach(sn::add);
      }
      if (!r.categories().isEmpty()) {
        ArrayNode c = o.putArray("categories");
        r.categories().forEach(c::add);
      }
      for (String sub : r.subresources()) {
        ObjectNode s = resources.addObject().put("name", r.plural() + "/" + sub).put("singularName", "")
            .put("namespaced", r.namespaced());
        ArrayNode sv = s.putArray("verbs");
        switch (sub) {
          case "scale" -> {
            s.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
            List.of("get", "patch", "update").forEach(sv::add);
          }
          case "log" -> {
            s.put("kind", "Pod");
            sv.add("get");
          }
          case "binding", "eviction" -> {
            s.put("kind", sub.equals("binding") ? "Binding" : "Eviction");
            sv.add("create");
          }
          default -> {
            s.put("kind", r.kind());
            List.of("get", "patch", "update").forEach(sv::add);
          }
        }
      }
    }
    return n;
  }

}
