package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Front of the embedded API server: answers what the fabric8 CRUD mock lacks (discovery, OpenAPI, Tables,
 * selectors, strategic merge patch, scale, admission, Status bodies) and hands plain storage to the mock.
 */
public final class SandboxDispatcher extends Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxDispatcher.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private final KubernetesCrudDispatcher store;
  private final ObjectMapper mapper;
  private final ResourceCatalog catalog;
  private final DiscoveryDocuments discovery;
  private final OpenApiDocuments openApi;
  private final TableConverter tables;
  private final StatusResponses statuses;
  private final PatchApplier patches;
  private final ScaleSubresource scale;
  private final DeletionPolicies deletionPolicies;
  private final AtomicReference<AdmissionValidator> admission;
  private final ReentrantLock writeLock = new ReentrantLock();

  public SandboxDispatcher(KubernetesCrudDispatcher store, ObjectMapper mapper, ResourceCatalog catalog,
      DiscoveryDocuments discovery, OpenApiDocuments openApi, TableConverter tables, StatusResponses statuses,
      PatchApplier patches, ScaleSubresource scale, DeletionPolicies deletionPolicies,
      AtomicReference<AdmissionValidator> admission) {
    this.store = store;
    this.mapper = mapper;
    this.catalog = catalog;
    this.discovery = discovery;
    this.openApi = openApi;
    this.tables = tables;
    this.statuses = statuses;
    this.patches = patches;
    this.scale = scale;
    this.deletionPolicies = deletionPolicies;
    this.admission = admission;
  }

  @Override
  public MockResponse dispatch(RecordedRequest incoming) {
    RecordedRequest request = incoming;
    try {
      request = readable(incoming);
      MockResponse response = route(request);
      if (!"GET".equalsIgnoreCase(request.getMethod()) && request.getPath().contains("/customresourcedefinitions")) {
        catalog.invalidate();
      }
      return withStatusBody(response, request);
    } catch (RuntimeException e) {
      LOG.warn("{} {} failed", request.getMethod(), request.getPath(), e);
      return statuses.failure(500, "InternalError", "Internal error: " + e.getMessage(), null, null, null);
    }
  }

  private MockResponse route(RecordedRequest request) {
    String method = request.getMethod().toUpperCase();
    ApiRequest api = ApiRequest.parse(request.getPath());
    if (method.equals("GET")) {
      if (api.path().equals("/")) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode paths = root.putArray("paths");
        List.of("/api", "/api/v1", "/apis", "/openapi/v3", "/version").forEach(paths::add);
        return statuses.json(200, root.toString());
      }
      Optional<ObjectNode> doc = openApi.forPath(api.path());
      if (doc.isEmpty() && openApi.isOpenApiPath(api.path())) {
        return statuses.failure(404, "NotFound", "the server could not find the requested resource", null, null,
            null);
      }
      if (doc.isEmpty() && discovery.isDiscoveryPath(api.path())) {
        doc = discovery.forPath(api.path());
      }
      if (doc.isPresent()) {
        return statuses.json(200, doc.get().toString());
      }
    }
    if (!api.isResource()) {
      return statuses.failure(404, "NotFound", "the server could not find the requested resource", null, null, null);
    }
    Optional<ApiResource> found = catalog.find(api.group(), api.version(), api.plural());
    if (found.isEmpty()) {
      return statuses.failure(404, "NotFound", "the server could not find the requested resource", null, null, null);
    }
    ApiResource resource = found.get();
    if ("scale".equals(api.subresource())) {
      writeLock.lock();
      try {
        return scale.handle(request, api, resource, this);
      } finally {
        writeLock.unlock();
      }
    }
    return switch (method) {
      case "GET" -> api.isWatch() ? watch(api) : api.name() == null ? list(request, api, resource)
          : get(request, api, resource);
      case "POST" -> locked(() -> create(request, api, resource));
      case "PUT" -> locked(() -> update(request, api, resource));
      case "PATCH" -> locked(() -> patch(request, api, resource));
      case "DELETE" -> locked(() -> delete(request, api, resource));
      default -> statuses.failure(405, "MethodNotAllowed", "method not allowed", null, null, null);
    };
  }

  private MockResponse locked(java.util.function.Supplier<MockResponse> action) {
    writeLock.lock();
    try {
      return action.get();
    } finally {
      writeLock.unlock();
    }
  }

  // ---- reads

  private MockResponse get(RecordedRequest request, ApiRequest api, ApiResource resource) {
    Optional<JsonNode> object = read(api.objectPath());
    if (object.isEmpty()) {
      return notFound(api, resource);
    }
    if (wantsTable(request)) {
      return statuses.json(200, tables.convert(resource, object.get(), api.param("includeObject").orElse("Metadata"))
          .toString());
    }
    return statuses.json(200, object.get().toString());
  }

  private MockResponse list(RecordedRequest request, ApiRequest api, ApiResource resource) {
    ObjectNode list = listObjects(api, resource);
    if (wantsTable(request)) {
      return statuses.json(200, tables.convert(resource, list, api.param("includeObject").orElse("Metadata"))
          .toString());
    }
    return statuses.json(200, list.toString());
  }

  /** The collection at the request's path filtered by its label and field selectors. */
  ObjectNode listObjects(ApiRequest api, ApiResource resource) {
    MockResponse raw = store.handleGet(api.collectionPath());
    ObjectNode list = (ObjectNode) tree(raw.getBody().readUtf8());
    Predicate<JsonNode> filter = selectorFilter(api);
    ArrayNode items = mapper.createArrayNode();
    list.withArray("items").forEach(item -> {
      if (filter.test(item)) {
        items.add(item);
      }
    });
    list.set("items", items);
    list.put("kind", resource.kind() + "List").put("apiVersion", resource.apiVersion());
    if (!list.path("metadata").has("resourceVersion")) {
      list.putObject("metadata").put("resourceVersion", String.valueOf(store.requestResourceVersion()));
    }
    return list;
  }

  private Predicate<JsonNode> selectorFilter(ApiRequest api) {
    LabelSelector labels = LabelSelector.parse(api.query().getOrDefault("labelSelector", ""));
    FieldSelector fields = FieldSelector.parse(api.query().getOrDefault("fieldSelector", ""));
    return o -> labels.matches(labelsOf(o)) && fields.matches(o);
  }

  private Map<String, String> labelsOf(JsonNode o) {
    JsonNode l = o.path("metadata").path("labels");
    return l.isObject() ? mapper.convertValue(l, new TypeReference<Map<String, String>>() { }) : Map.of();
  }

  private MockResponse watch(ApiRequest api) {
    Predicate<JsonNode> filter = selectorFilter(api);
    MockResponse delegate = store.handleWatch(api.pathWithout("labelSelector", "fieldSelector"));
    WebSocketListener listener = delegate.getWebSocketListener();
    if (listener == null) {
      return delegate;
    }
    return new MockResponse().withWebSocketUpgrade(new SelectorFilteringWatchListener(listener, filter, mapper));
  }

  private boolean wantsTable(RecordedRequest request) {
    String accept = request.getHeader("Accept");
    return accept != null && accept.contains("as=Table");
  }

  // ---- writes

  private MockResponse create(RecordedRequest request, ApiRequest api, ApiResource resource) {
    JsonNode body = tree(request.getUtf8Body());
    if (resource.isCustom()) {
      Optional<MockResponse> rejected = admit(resource, body, null);
      if (rejected.isPresent()) {
        return rejected.get();
      }
    }
    if (body.path("metadata").has("name") && read(api.collectionPath() + "/" + body.path("metadata").path("name")
        .asText()).isPresent()) {
      String name = body.path("metadata").path("name").asText();
      return statuses.failure(409, "AlreadyExists", "%s \"%s\" already exists".formatted(qualified(resource), name),
          resource.plural(), name, resource.group());
    }
    return store.handleCreate(request);
  }

  private MockResponse update(RecordedRequest request, ApiRequest api, ApiResource resource) {
    Optional<JsonNode> current = read(api.objectPath());
    if (current.isEmpty()) {
      return notFound(api, resource);
    }
    return store(request.getPath(), api, resource, tree(request.getUtf8Body()), current.get());
  }

  private MockResponse patch(RecordedRequest request, ApiRequest api, ApiResource resource) {
    Optional<JsonNode> current = read(api.objectPath());
    if (current.isEmpty()) {
      return notFound(api, resource);
    }
    JsonNode patch = tree(request.getUtf8Body());
    Optional<JsonNode> patched = patches.apply(request.getHeader("Content-Type"), current.get(), patch,
        resource.isCustom());
    if (patched.isEmpty()) {
      return unsupportedMediaType(request.getHeader("Content-Type"));
    }
    return store(request.getPath(), api, resource, patched.get(), current.get());
  }

  private MockResponse unsupportedMediaType(String contentType) {
    return statuses.failure(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
        + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
        + "application/apply-patch+yaml", null, null, null).setHeader("X-Content-Type", String.valueOf(contentType));
  }

  /** Replaces the object after admission (the mock's PUT keeps its status and generation semantics). */
  MockResponse store(String rawPath, ApiRequest api, ApiResource resource, JsonNode newObject, JsonNode oldObject) {
    if (resource.isCustom()) {
      Optional<MockResponse> rejected = admit(resource, newObject, oldObject);
      if (rejected.isPresent()) {
        return rejected.get();
      }
    }
    String path = rawPath;
    if ("status".equals(api.subresource()) && !resource.isCustom()) {
      path = api.objectPath(); // built-in status is a plain field in the mock
    }
    RecordedRequest put = new RecordedRequest("HTTP/1.1", HttpMethod.PUT, path,
        io.fabric8.mockwebserver.http.Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(newObject.toString().getBytes(StandardCharsets.UTF_8)));
    put = readable(put);
    MockResponse response = store.handleUpdate(put);
    if (response.code() == 200 || response.code() == 201 || response.code() == 202) {
      return statuses.json(200, response.getBody().readUtf8());
    }
    return response;
  }

  private MockResponse delete(RecordedRequest request, ApiRequest api, ApiResource resource) {
    String policy = propagationPolicy(request, api);
    if (api.name() == null) {
      ObjectNode list = listObjects(api, resource);
      for (JsonNode item : list.withArray("items")) {
        deletionPolicies.record(item.path("metadata").path("uid").asText(null), policy);
        store.handleDelete(api.collectionPath() + "/" + item.path("metadata").path("name").asText());
      }
      return statuses.json(200, list.toString());
    }
    Optional<JsonNode> current = read(api.objectPath());
    if (current.isEmpty()) {
      return notFound(api, resource);
    }
    Optional<MockResponse> failed = failedPrecondition(request, current.get(), resource, api);
    if (failed.isPresent()) {
      return failed.get();
    }
    deletionPolicies.record(current.get().path("metadata").path("uid").asText(null), policy);
    MockResponse response = store.handleDelete(api.objectPath());
    if (response.code() >= 300) {
      return response;
    }
    return statuses.json(200, read(api.objectPath()).orElse(current.get()).toString());
  }

  /** DeleteOptions.preconditions (uid, resourceVersion), as the API server checks them: 409 Conflict when they fail. */
  private Optional<MockResponse> failedPrecondition(RecordedRequest request, JsonNode current, ApiResource resource, ApiRequest api) {
    String body = request.getUtf8Body();
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    JsonNode preconditions = tree(body).path("preconditions");
    for (String field : List.of("uid", "resourceVersion")) {
      JsonNode expected = preconditions.path(field);
      String actual = current.path("metadata").path(field).asText(null);
      if (expected.isTextual() && !expected.asText().isEmpty() && !expected.asText().equals(actual)) {
        return Optional.of(statuses.failure(409, "Conflict", ("Operation cannot be fulfilled on %s \"%s\": the precondition"
            + " of the delete failed: %s in precondition: %s, %s in object meta: %s").formatted(qualified(resource), api.name(),
            field, expected.asText(), field, actual), resource.kind(), api.name(), resource.group()));
      }
    }
    return Optional.empty();
  }

  private String propagationPolicy(RecordedRequest request, ApiRequest api) {
    Optional<String> fromQuery = api.param("propagationPolicy");
    if (fromQuery.isPresent()) {
      return fromQuery.get();
    }
    if ("true".equals(api.query().get("orphanDependents"))) {
      return "Orphan";
    }
    String body = request.getUtf8Body();
    if (body != null && !body.isBlank()) {
      JsonNode options = tree(body);
      if (options.hasNonNull("propagationPolicy")) {
        return options.get("propagationPolicy").asText();
      }
      if (options.path("orphanDependents").asBoolean(false)) {
        return "Orphan";
      }
    }
    return "Background";
  }

  private Optional<MockResponse> admit(ApiResource resource, JsonNode newObject, JsonNode oldObject) {
    Map<String, Object> n = mapper.convertValue(newObject, MAP);
    Map<String, Object> o = oldObject == null ? null : mapper.convertValue(oldObject, MAP);
    return admission.get().rejectionMessage(resource.group(), resource.version(), resource.plural(), n, o)
        .map(message -> statuses.invalid(resource.kind(), newObject.path("metadata").path("name").asText(),
            resource.group(), message));
  }

  // ---- helpers

  /** The mock's request body can be read once only: this copy answers getUtf8Body() any number of times. */
  private static RecordedRequest readable(RecordedRequest r) {
    byte[] body = r.getBody() == null ? new byte[0] : r.getBody().readByteArray();
    return new RecordedRequest(r.getHttpVersion(), r.method(), r.getPath(), r.getHeaders(), new Buffer(body)) {
      @Override
      public Buffer getBody() {
        return new Buffer(body);
      }

      @Override
      public String getUtf8Body() {
        return new String(body, StandardCharsets.UTF_8);
      }
    };
  }

  Optional<JsonNode> read(String objectPath) {
    MockResponse r = store.handleGet(objectPath);
    if (r.code() != 200 || r.getBody() == null) {
      return Optional.empty();
    }
    String body = r.getBody().readUtf8();
    return body.isBlank() ? Optional.empty() : Optional.of(tree(body));
  }

  JsonNode tree(String json) {
    try {
      return mapper.readTree(json == null || json.isBlank() ? "{}" : json);
    } catch (IOException e) {
      throw new IllegalArgumentException("request body is not JSON: " + e.getMessage(), e);
    }
  }

  MockResponse notFound(ApiRequest api, ApiResource resource) {
    return statuses.failure(404, "NotFound", "%s \"%s\" not found".formatted(qualified(resource), api.name()),
        resource.plural(), api.name(), resource.group());
  }

  private static String qualified(ApiResource r) {
    return r.group().isEmpty() ? r.plural() : r.plural() + "." + r.group();
  }

  private MockResponse withStatusBody(MockResponse response, RecordedRequest request) {
    if (response == null) {
      return statuses.failure(404, "NotFound", "the server could not find the requested resource", null, null, null);
    }
    if (response.getWebSocketListener() != null) {
      return response;
    }
    Buffer body = response.getBody();
    if (response.code() >= 400 && (body == null || body.size() == 0)) {
      int code = response.code();
      String reason = switch (code) {
        case 404 -> "NotFound";
        case 409 -> "Conflict";
        case 422 -> "Invalid";
        default -> "BadRequest";
      };
      String message = code == 409 ? "Operation cannot be fulfilled: the object has been modified; please apply "
          + "your changes to the latest version and try again" : request.getMethod() + " " + request.getPath()
          + " failed with " + code;
      return statuses.failure(code, reason, message, null, null, null);
    }
    if (response.header("Content-Type") == null && body != null && body.size() > 0) {
      response.setHeader("Content-Type", "application/json");
    }
    return response;
  }
}
