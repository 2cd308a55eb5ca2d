package dev.ordinal.testing.real;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every request of the operator's client that the real API server answered 403: RBAC is judged by
 * the server, so this sees what the mock's request recording cannot (a GET hidden in a client
 * helper, a subresource, a verb our ClusterRole lacks).
 */
public final class ForbiddenRequests implements Interceptor {
  private final List<String> denied = new CopyOnWriteArrayList<>();

  void install(KubernetesClientBuilder builder) {
    builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("forbidden-requests", this));
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    String path = request.uri().getRawPath();
    // A namespace being deleted refuses new content with 403 too: that is the namespace
    // controller at work (a finished test class), not our RBAC.
    if (response.code() == 403 && SharedControlPlane.retiredNamespaces().stream().noneMatch(ns -> path.contains("/namespaces/" + ns + "/"))) {
      denied.add(request.method() + " " + path);
    }
  }

  /** The 403s so far, forgotten once returned. */
  public List<String> drain() {
    List<String> out = new ArrayList<>(denied);
    denied.removeAll(out);
    return out;
  }
}
