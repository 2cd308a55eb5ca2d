package dev.ordinal.sandbox.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request path of the Kubernetes REST API taken apart:
 * {@code /api/v1[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]} or the same under
 * {@code /apis/<group>/<version>}.
 */
public record ApiRequest(String rawPath, String path, Map<String, String> query, String group, String version,
    String namespace, String plural, String name, String subresource) {

  public static ApiRequest parse(String rawPath) {
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String part : rawPath.substring(q + 1).split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String k = decode(eq < 0 ? part : part.substring(0, eq));
        String v = eq < 0 ? "" : decode(part.substring(eq + 1));
        query.put(k, v);
      }
    }
    List<String> seg = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
    String group = null;
    String version = null;
    List<String> rest = List.of();
    if (seg.size() >= 2 && seg.get(0).equals("api")) {
      group = "";
      version = seg.get(1);
      rest = seg.subList(2, seg.size());
    } else if (seg.size() >= 3 && seg.get(0).equals("apis")) {
      group = seg.get(1);
      version = seg.get(2);
      rest = seg.subList(3, seg.size());
    }
    String namespace = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String plural = !rest.isEmpty() ? rest.get(0) : null;
    String name = rest.size() >= 2 ? rest.get(1) : null;
    String sub = rest.size() >= 3 ? rest.get(2) : null;
    return new ApiRequest(rawPath, path, query, group, version, namespace, plural, name, sub);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public boolean isResource() {
    return plural != null;
  }

  public boolean isCore() {
    return "".equals(group);
  }

  public String apiVersion() {
    return isCore() ? version : group + "/" + version;
  }

  public Optional<String> param(String key) {
    return Optional.ofNullable(query.get(key)).filter(v -> !v.isEmpty());
  }

  public boolean isWatch() {
    return "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
  }

  /** The path of the object itself (no subresource, no query). */
  public String objectPath() {
    return collectionPath() + "/" + name;
  }

  /** The collection path (no name, no query). */
  public String collectionPath() {
    StringBuilder sb = new StringBuilder(isCore() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespace != null) {
      sb.append("/namespaces/").append(namespace);
    }
    return sb.append('/').append(plural).toString();
  }

  /** This request's path with the given query parameters left out. */
  public String pathWithout(String... keys) {
    Map<String, String> kept = new LinkedHashMap<>(query);
    for (String k : keys) {
      kept.remove(k);
    }
    if (kept.isEmpty()) {
      return path;
    }
    StringBuilder sb = new StringBuilder(path).append('?');
    kept.forEach((k, v) -> sb.append(encode(k)).append('=').append(encode(v)).append('&'));
    return sb.substring(0, sb.length() - 1);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
