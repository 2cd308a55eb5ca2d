package dev.ordinal.testing;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The interceptor of the operator's own client: marks every request with
 * {@link FaultInjectingDispatcher#HEADER} (so the fault injector can single the operator out),
 * records each write with its response code, and lets a test look at every write just before it is
 * sent (to judge it against the cluster as it is at that moment).
 */
public final class OperatorClientTap implements Interceptor {
  /** One attempt of a write; {@code code} is the response status (after the fabric8 client's own retries, per attempt). */
  public record Write(String method, URI uri, int code, long nanos) {
    public RequestRecorder.Access access() {
      return RequestRecorder.Access.of(method, uri).orElseThrow();
    }
  }

  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private volatile Consumer<HttpRequest> beforeWrite = r -> {};

  public void install(KubernetesClientBuilder builder) {
    builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("operator-tap", this));
  }

  /** Called on the operator's thread just before each write is sent. */
  public void onWrite(Consumer<HttpRequest> check) {
    beforeWrite = check;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    builder.header(FaultInjectingDispatcher.HEADER, FaultInjectingDispatcher.OPERATOR);
    if (!"GET".equals(request.method())) {
      beforeWrite.accept(request);
    }
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (!"GET".equals(request.method())) {
      writes.add(new Write(request.method(), request.uri(), response.code(), System.nanoTime()));
    }
  }

  public List<Write> writes() {
    return new ArrayList<>(writes);
  }

  public void clear() {
    writes.clear();
  }
}
