package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The OpenAPI endpoints kubectl fetches before it validates or applies: an empty v3 index (no schemas, so
 * kubectl skips client-side schema validation and falls back to its built-in patch metadata) and an empty v2
 * document.
 */
public final class OpenApiDocuments {

  private final ObjectMapper mapper;

  public OpenApiDocuments(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Optional<ObjectNode> forPath(String path) {
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      ObjectNode n = mapper.createObjectNode();
      n.putObject("paths");
      return Optional.of(n);
    }
    if (path.equals("/openapi/v2")) {
      ObjectNode n = mapper.createObjectNode().put("swagger", "2.0");
      n.putObject("info").put("title", "ordinal-sandbox").put("version", "v1.32.0");
      n.putObject("paths");
      n.putObject("definitions");
      return Optional.of(n);
    }
    return Optional.empty();
  }
}
