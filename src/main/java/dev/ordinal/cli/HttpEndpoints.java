package dev.ordinal.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /metrics (Prometheus text), /healthz (the process serves: the startup probe), /livez (no
 * informer has stopped or gone without a watch for too long: the liveness probe, so the kubelet
 * restarts a stuck pod) and /readyz (informers synced and watching; with leader election a
 * standby is ready too). The JDK's own HTTP server: four fixed routes do not justify a web
 * framework.
 */
public final class HttpEndpoints implements AutoCloseable {
  /** A probe's answer: 200 with "ok", or 503 with the reason. */
  public record Probe(boolean ok, String detail) {
    public static Probe of(boolean ok, String reasonIfNot) {
      return new Probe(ok, ok ? "ok" : reasonIfNot);
    }
  }

  private final HttpServer server;

  /** Readiness only; /livez then follows /healthz (the process serves). */
  public HttpEndpoints(int port, PrometheusMeterRegistry registry, BooleanSupplier ready) throws IOException {
    this(port, registry, () -> Probe.of(ready.getAsBoolean(), "not ready"), () -> Probe.of(true, ""));
  }

  public HttpEndpoints(int port, PrometheusMeterRegistry registry, Supplier<Probe> ready, Supplier<Probe> live) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
    server.createContext("/livez", ex -> probe(ex, live));
    server.createContext("/readyz", ex -> probe(ex, ready));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange exchange, Supplier<Probe> probe) throws IOException {
    Probe p;
    try {
      p = probe.get();
    } catch (RuntimeException e) {
      p = new Probe(false, "probe failed: " + e);
    }
    respond(exchange, p.ok() ? 200 : 503, "text/plain", p.detail() + "\n");
  }

  private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
