package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What kubectl talks to: a plain HTTP front on 127.0.0.1 that forwards every request to the
 * {@link EmbeddedApiServer}, except watches asked for without a WebSocket upgrade ({@code kubectl get -w},
 * {@code kubectl wait}, {@code kubectl rollout status}): the fabric8 mock serves watches over WebSocket only,
 * so the front opens that WebSocket itself and streams its events as JSON lines over chunked HTTP, the way
 * an API server does. Like an API server, a watch from a resourceVersion does not replay older objects, and
 * events are Tables when the client asked for Tables.
 */
public final class WatchStreamingFront implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchStreamingFront.class);
  private static final Set<String> UNFORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

  private final EmbeddedApiServer backend;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper mapper = new ObjectMapper();

  private WatchStreamingFront(EmbeddedApiServer backend, HttpServer server) {
    this.backend = backend;
    this.server = server;
  }

  /** Listens on 127.0.0.1:{@code port} (0 = any free port) in front of {@code backend}. */
  public static WatchStreamingFront start(EmbeddedApiServer backend, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 64);
    WatchStreamingFront front = new WatchStreamingFront(backend, server);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", front::handle);
    server.start();
    return front;
  }

  /** e.g. {@code http://127.0.0.1:6443}: the URL to give kubectl. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String pathAndQuery = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      ApiRequest api = ApiRequest.parse(pathAndQuery);
      boolean upgrade = exchange.getRequestHeaders().containsKey("Upgrade");
      if ("GET".equals(exchange.getRequestMethod()) && api.isResource() && api.isWatch() && !upgrade) {
        stream(exchange, api, pathAndQuery);
      } else {
        forward(exchange, pathAndQuery);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange exchange, String pathAndQuery) throws IOException, InterruptedException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.url() + pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      if (!UNFORWARDED.contains(h.getKey().toLowerCase())) {
        h.getValue().forEach(v -> request.header(h.getKey(), v));
      }
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    response.headers().map().forEach((name, values) -> {
      if (!UNFORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    byte[] out = response.body();
    exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  private void stream(HttpExchange exchange, ApiRequest api, String pathAndQuery) throws IOException, InterruptedException {
    String accept = String.valueOf(exchange.getRequestHeaders().getFirst("Accept"));
    boolean asTable = accept.contains("as=Table");
    String includeObject = api.param("includeObject").orElse("Metadata");
    long fromVersion = api.param("resourceVersion").map(WatchStreamingFront::number).orElse(0L);
    long timeoutSeconds = api.param("timeoutSeconds").map(WatchStreamingFront::number).filter(t -> t > 0).orElse(1800L);

    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    CountDownLatch closed = new CountDownLatch(1);
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create(backend.url().replaceFirst("^http", "ws") + pathAndQuery), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              partial.append(data);
              if (last) {
                events.add(partial.toString());
                partial.setLength(0);
              }
              ws.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
              closed.countDown();
              return CompletableFuture.completedFuture(null);
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
              closed.countDown();
            }
          }).join();
    } catch (RuntimeException e) {
      // Not a watchable resource (the backend answered without upgrading): answer as the backend does.
      forward(exchange, pathAndQuery);
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0); // chunked
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try (OutputStream out = exchange.getResponseBody()) {
      out.flush();
      while (System.nanoTime() < deadline && closed.getCount() > 0) {
        String event = events.poll(200, TimeUnit.MILLISECONDS);
        if (event == null) {
          continue;
        }
        String line = translate(event, api, asTable, includeObject, fromVersion);
        if (line != null) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } finally {
      socket.abort();
    }
  }

  /** The event as the API server streams it, or null when a watch from a resourceVersion would not send it. */
  private String translate(String event, ApiRequest api, boolean asTable, String includeObject, long fromVersion)
      throws IOException {
    JsonNode node = mapper.readTree(event);
    JsonNode object = node.path("object");
    if (fromVersion > 0 && "ADDED".equals(node.path("type").asText())
        && number(object.path("metadata").path("resourceVersion").asText("0")) <= fromVersion) {
      return null; // the mock replays every object as ADDED; a real watch from this version would not
    }
    if (asTable && object.isObject() && !"Status".equals(object.path("kind").asText())) {
      ObjectNode table = backend.table(api, object, includeObject).orElse(null);
      if (table != null) {
        ((ObjectNode) node).set("object", table);
      }
    }
    return node.toString();
  }

  private static long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
