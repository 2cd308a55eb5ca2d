package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/** meta/v1 Status answers, shaped as a real API server shapes them (kubectl prints their message). */
public final class StatusResponses {

  private final ObjectMapper mapper;

  public StatusResponses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public MockResponse failure(int code, String reason, String message, String kind, String name, String group) {
    ObjectNode s = mapper.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    if (kind != null || name != null) {
      ObjectNode d = s.putObject("details");
      if (name != null) {
        d.put("name", name);
      }
      if (group != null) {
        d.put("group", group);
      }
      if (kind != null) {
        d.put("kind", kind);
      }
    }
    return json(code, s.toString());
  }

  /** 422 Invalid: kubectl prints {@code The <Kind> "<name>" is invalid: <field>: <message>}. */
  public MockResponse invalid(String kind, String name, String group, String detail) {
    ObjectNode s = mapper.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
    s.put("status", "Failure").put("message", "%s \"%s\" is invalid: %s".formatted(qualified, name, detail))
        .put("reason", "Invalid").put("code", 422);
    ObjectNode d = s.putObject("details").put("name", name).put("kind", kind);
    if (group != null && !group.isEmpty()) {
      d.put("group", group);
    }
    java.util.regex.Matcher m = FIELD_PREFIX.matcher(detail);
    ObjectNode cause = d.putArray("causes").addObject().put("reason", "FieldValueInvalid");
    if (m.matches()) {
      cause.put("message", m.group(2)).put("field", m.group(1));
    } else {
      cause.put("message", detail).put("field", "<root>");
    }
    return json(422, s.toString());
  }

  private static final java.util.regex.Pattern FIELD_PREFIX =
      java.util.regex.Pattern.compile("^([A-Za-z0-9_.\\[\\]-]+): (.*)$", java.util.regex.Pattern.DOTALL);

  public MockResponse notFound(String resource, String name) {
    return failure(404, "NotFound", "%s \"%s\" not found".formatted(resource, name), resource, name, null);
  }

  public MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }
}
