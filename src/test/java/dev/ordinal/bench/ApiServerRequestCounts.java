package dev.ordinal.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kube-apiserver itself counted ({@code apiserver_request_total} on its /metrics), by
 * "VERB resource[/subresource] code": every client's requests, the cluster's controllers included,
 * which no client-side interceptor of ours can see.
 */
record ApiServerRequestCounts(Map<String, Long> counts) {
  private static final Pattern LINE = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  static ApiServerRequestCounts scrape(KubernetesClient admin) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : admin.raw("/metrics").split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String resource = labels.getOrDefault("resource", "") + (labels.getOrDefault("subresource", "").isEmpty() ? "" : "/" + labels.get("subresource"));
      String key = labels.get("verb") + " " + resource + " " + labels.get("code");
      counts.merge(key, (long) Double.parseDouble(m.group(2)), Long::sum);
    }
    return new ApiServerRequestCounts(counts);
  }

  ApiServerRequestCounts minus(ApiServerRequestCounts before) {
    Map<String, Long> diff = new TreeMap<>();
    counts.forEach((k, v) -> {
      long d = v - before.counts.getOrDefault(k, 0L);
      if (d != 0) {
        diff.put(k, d);
      }
    });
    return new ApiServerRequestCounts(diff);
  }

  /** Writes (POST, PUT, PATCH, DELETE) of the named resources, any code. */
  long writes(String... resources) {
    return counts.entrySet().stream().filter(e -> isWrite(e.getKey()) && matches(e.getKey(), resources)).mapToLong(Map.Entry::getValue).sum();
  }

  long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** "VERB resource" -> count of 409 answers. */
  Map<String, Long> conflicts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.endsWith(" 409")) {
        out.put(k.substring(0, k.length() - 4), v);
      }
    });
    return out;
  }

  private static boolean isWrite(String key) {
    return key.startsWith("POST ") || key.startsWith("PUT ") || key.startsWith("PATCH ") || key.startsWith("DELETE ");
  }

  private static boolean matches(String key, String... resources) {
    if (resources.length == 0) {
      return true;
    }
    String resource = key.split(" ")[1];
    for (String r : resources) {
      if (resource.equals(r) || resource.startsWith(r + "/")) {
        return true;
      }
    }
    return false;
  }
}
