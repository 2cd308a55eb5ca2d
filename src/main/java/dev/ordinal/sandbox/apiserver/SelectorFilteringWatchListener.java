package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Wraps the mock's watch listener (which then watches without selectors) and forwards only the events whose
 * object matches the watch's label and field selectors; an object that stops matching is sent as DELETED,
 * as a real API server does.
 */
final class SelectorFilteringWatchListener extends WebSocketListener {

  private final WebSocketListener delegate;
  private final Predicate<JsonNode> matches;
  private final ObjectMapper mapper;
  private final Set<String> matching = ConcurrentHashMap.newKeySet();
  private volatile WebSocket wrapped;

  SelectorFilteringWatchListener(WebSocketListener delegate, Predicate<JsonNode> matches, ObjectMapper mapper) {
    this.delegate = delegate;
    this.matches = matches;
    this.mapper = mapper;
  }

  private WebSocket wrap(WebSocket ws) {
    WebSocket w = wrapped;
    if (w == null) {
      w = new Filtering(ws);
      wrapped = w;
    }
    return w;
  }

  @Override
  public void onBeforeAccept(WebSocket ws, Response response) {
    delegate.onBeforeAccept(wrap(ws), response);
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    delegate.onOpen(wrap(ws), response);
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    delegate.onMessage(wrap(ws), text);
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    delegate.onClosing(wrap(ws), code, reason);
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    delegate.onClosed(wrap(ws), code, reason);
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    delegate.onFailure(wrap(ws), t, response);
  }

  private final class Filtering implements WebSocket {
    private final WebSocket ws;

    Filtering(WebSocket ws) {
      this.ws = ws;
    }

    @Override
    public RecordedRequest request() {
      return ws.request();
    }

    @Override
    public boolean send(String text) {
      String out = filter(text);
      return out == null || ws.send(out);
    }

    @Override
    public boolean send(byte[] bytes) {
      String out = filter(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      return out == null || ws.send(out.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean close(int code, String reason) {
      return ws.close(code, reason);
    }
  }

  /** @return the event to send, or null to drop it */
  private String filter(String text) {
    try {
      JsonNode event = mapper.readTree(text);
      JsonNode object = event.path("object");
      String type = event.path("type").asText();
      if (!object.has("metadata") || "ERROR".equals(type) || "BOOKMARK".equals(type)) {
        return text;
      }
      String key = object.path("metadata").path("namespace").asText("") + "/"
          + object.path("metadata").path("name").asText();
      boolean was = matching.contains(key);
      if ("DELETED".equals(type)) {
        matching.remove(key);
        return was || matches.test(object) ? text : null;
      }
      if (matches.test(object)) {
        matching.add(key);
        if (!was && "MODIFIED".equals(type)) {
          return ((ObjectNode) event).put("type", "ADDED").toString();
        }
        return text;
      }
      if (was) {
        matching.remove(key);
        return ((ObjectNode) event).put("type", "DELETED").toString();
      }
      return null;
    } catch (IOException e) {
      return text;
    }
  }

  static Map<String, String> labelsOf(JsonNode object, ObjectMapper mapper) {
    return mapper.convertValue(object.path("metadata").path("labels"),
        mapper.getTypeFactory().constructMapType(Map.class, String.class, String.class));
  }
}
