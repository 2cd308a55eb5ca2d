package dev.ordinal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;

/**
 * The CRUD mock ignores DeleteOptions.preconditions; a real API server answers 409 when the uid or
 * resourceVersion named there is no longer the object's. The garbage collector relies on that (a
 * claim taken over between its judgement and its delete must survive), so the mock tier checks them
 * here, just before the delete. Not atomic with it: serializing the mock's writes here blocks its
 * event loop (watch deliveries run inside a write), so a write landing in between the check and the
 * delete, within the same dispatch, is not caught. The sandbox's own API server checks atomically.
 */
public final class DeletePreconditionsDispatcher extends Dispatcher {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final KubernetesCrudDispatcher crud;

  public DeletePreconditionsDispatcher(KubernetesCrudDispatcher crud) {
    this.crud = crud;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("DELETE".equals(request.getMethod())) {
      MockResponse failed = failedPrecondition(request);
      if (failed != null) {
        return failed;
      }
    }
    return crud.dispatch(request);
  }

  private MockResponse failedPrecondition(RecordedRequest request) {
    String body = request.getUtf8Body();
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode preconditions = MAPPER.readTree(body).path("preconditions");
      if (preconditions.isMissingNode() || preconditions.isNull()) {
        return null;
      }
      String path = request.getPath();
      int query = path.indexOf('?');
      MockResponse current = crud.handleGet(query < 0 ? path : path.substring(0, query));
      if (current.code() != 200) {
        return null;  // missing: the delete answers 404 itself
      }
      JsonNode meta = MAPPER.readTree(current.getBody().readUtf8()).path("metadata");
      for (String field : List.of("uid", "resourceVersion")) {
        JsonNode expected = preconditions.path(field);
        if (expected.isTextual() && !expected.asText().isEmpty() && !expected.asText().equals(meta.path(field).asText(null))) {
          return new MockResponse().setResponseCode(409).addHeader("Content-Type", "application/json")
              .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,"
                  + "\"message\":\"the precondition of the delete failed: " + field + " in precondition: " + expected.asText()
                  + ", in object meta: " + meta.path(field).asText(null) + "\"}");
        }
      }
      return null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }
}
