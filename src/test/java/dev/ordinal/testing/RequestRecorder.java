package dev.ordinal.testing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records every request one fabric8 client sends (an HTTP interceptor on that client only), so a
 * test can see exactly what the operator asked of the API server, as RBAC would see it.
 */
public final class RequestRecorder implements Interceptor {
  /** A request as sent; {@code code} is the response status, or 0 for a watch upgraded to a WebSocket. */
  public record Request(String method, URI uri, String body, int code) {
    /** The request in RBAC terms: API group ("" = core), resource[/subresource], verb; empty for non-resource URLs. */
    public Optional<Access> access() {
      return Access.of(method, uri);
    }
  }

  /** What RBAC authorizes: {@code group}, {@code resource} (with "/subresource"), {@code verb}. */
  public record Access(String group, String resource, String verb, Optional<String> namespace, Optional<String> name) {
    // /api/v1/... or /apis/<group>/<version>/..., then [namespaces/<ns>/]<resource>[/<name>[/<subresource>]]
    private static final Pattern PATH = Pattern.compile("^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?/?$");

    static Optional<Access> of(String method, URI uri) {
      Matcher m = PATH.matcher(uri.getRawPath());
      if (!m.matches()) {
        return Optional.empty();
      }
      String group = m.group(1) == null ? "" : m.group(1);
      String ns = m.group(2);
      String resource = m.group(3);
      String name = m.group(4);
      String resourceWithSub = m.group(5) == null ? resource : resource + "/" + m.group(5);
      boolean watch = query(uri).contains("watch=true") || query(uri).contains("watch=1");
      String verb = switch (method) {
        case "GET" -> name != null ? "get" : watch ? "watch" : "list";
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> name != null ? "delete" : "deletecollection";
        default -> method.toLowerCase();
      };
      return Optional.of(new Access(group, resourceWithSub, verb, Optional.ofNullable(ns), Optional.ofNullable(name)));
    }

    private static String query(URI uri) {
      return uri.getRawQuery() == null ? "" : URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8);
    }

    /** group/resource:verb, for messages. */
    public String key() {
      return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile boolean recording = true;

  /** Adds this recorder to a client builder: {@code harness.newClient(b -> recorder.install(b))}. */
  public void install(io.fabric8.kubernetes.client.KubernetesClientBuilder builder) {
    builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-recorder", this));
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    // Watches go out as WebSocket upgrades and never reach after(): record them here.
    if (recording && "GET".equals(request.method()) && isWatch(request.uri())) {
      requests.add(new Request(request.method(), request.uri(), null, 0));
    }
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (recording && !("GET".equals(request.method()) && isWatch(request.uri()))) {
      requests.add(new Request(request.method(), request.uri(), request.bodyString(), response.code()));
    }
  }

  private static boolean isWatch(URI uri) {
    return uri.getRawQuery() != null && URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8).contains("watch=true");
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  public void stop() {
    recording = false;
  }

}
