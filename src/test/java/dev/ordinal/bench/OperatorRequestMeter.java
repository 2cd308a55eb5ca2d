package dev.ordinal.bench;

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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the requests of one client (the operator's) by verb and resource, and how long each
 * took from the client's point of view (request sent until the response headers arrived), so a
 * run can split its wall time into "waiting for the API server" and "everything else".
 * Watches are counted when they open; their lifetime is not latency.
 */
final class OperatorRequestMeter implements Interceptor {
  private static final String T0 = "X-Bench-T0";
  private static final Pattern PATH = Pattern.compile(
      "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?/?$");

  /** One completed request: when it started and ended (System.nanoTime). */
  record Span(long start, long end) {}

  private volatile Window window = new Window();

  static final class Window {
    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    final List<Span> spans = java.util.Collections.synchronizedList(new ArrayList<>());
    final LongAdder latencyNanos = new LongAdder();
    /** "verb resource -> code" for responses other than 2xx (counted in counts too). */
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** The first few writes with their bodies, to see what a steady state still writes. */
    final List<String> firstWrites = java.util.Collections.synchronizedList(new ArrayList<>());
  }

  /** Starts a new counting window and returns the old one. */
  Window reset() {
    Window old = window;
    window = new Window();
    return old;
  }

  Window current() {
    return window;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    builder.setHeader(T0, Long.toString(System.nanoTime()));
    if ("GET".equals(request.method()) && isWatch(request.uri())) {
      window.counts.computeIfAbsent(key("GET", request.uri()), k -> new LongAdder()).increment();
    }
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if ("GET".equals(request.method()) && isWatch(request.uri())) {
      return;
    }
    long end = System.nanoTime();
    Window w = window;
    String key = key(request.method(), request.uri());
    w.counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (isWrite(key) && w.firstWrites.size() < 5) {
      String body = request.bodyString();
      w.firstWrites.add(key + " " + request.uri().getRawPath() + " " + (body == null ? "" : body.length() > 600 ? body.substring(0, 600) + "..." : body));
    }
    if (response.code() >= 300) {
      w.failures.computeIfAbsent(key + " -> " + response.code(), k -> new LongAdder()).increment();
    }
    String t0 = request.header(T0);
    if (t0 != null) {
      long start = Long.parseLong(t0);
      w.latencyNanos.add(end - start);
      w.spans.add(new Span(start, end));
    }
  }

  static boolean isWrite(String key) {
    return key.startsWith("create ") || key.startsWith("update ") || key.startsWith("patch ") || key.startsWith("delete ")
        || key.startsWith("deletecollection ");
  }

  /** Sorted "verb resource" -> count. */
  static Map<String, Long> counts(Window w) {
    Map<String, Long> out = new TreeMap<>();
    w.counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Nanoseconds during which at least one request was in flight. */
  static long busyNanos(Window w) {
    List<Span> spans;
    synchronized (w.spans) {
      spans = new ArrayList<>(w.spans);
    }
    spans.sort(java.util.Comparator.comparingLong(Span::start));
    long busy = 0;
    long curStart = Long.MIN_VALUE;
    long curEnd = Long.MIN_VALUE;
    for (Span s : spans) {
      if (s.start() > curEnd) {
        if (curEnd > curStart) {
          busy += curEnd - curStart;
        }
        curStart = s.start();
        curEnd = s.end();
      } else {
        curEnd = Math.max(curEnd, s.end());
      }
    }
    if (curEnd > curStart) {
      busy += curEnd - curStart;
    }
    return busy;
  }

  private static String key(String method, URI uri) {
    Matcher m = PATH.matcher(uri.getRawPath());
    if (!m.matches()) {
      return method.toLowerCase() + " " + uri.getRawPath();
    }
    String resource = m.group(5) == null ? m.group(3) : m.group(3) + "/" + m.group(5);
    boolean named = m.group(4) != null;
    String verb = switch (method) {
      case "GET" -> named ? "get" : isWatch(uri) ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase();
    };
    return verb + " " + resource;
  }

  private static boolean isWatch(URI uri) {
    return uri.getRawQuery() != null && URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8).contains("watch=true");
  }
}
