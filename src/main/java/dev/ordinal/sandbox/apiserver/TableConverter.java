package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-side printing: turns objects into meta.k8s.io/v1 Tables with the columns a real API server prints
 * (kubectl asks with {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}).
 */
public final class TableConverter {

  record Column(String name, String type, String format, int priority, Function<JsonNode, Object> cell) {
  }

  private final ObjectMapper mapper;
  private final HumanDuration ages;

  public TableConverter(ObjectMapper mapper, HumanDuration ages) {
    this.mapper = mapper;
    this.ages = ages;
  }

  /** @param body a single object or a list, as stored; @param includeObject None, Metadata or Object */
  public ObjectNode convert(ApiResource resource, JsonNode body, String includeObject) {
    List<Column> columns = columnsFor(resource);
    ObjectNode table = mapper.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (body.path("metadata").has("resourceVersion")) {
      meta.put("resourceVersion", body.path("metadata").path("resourceVersion").asText());
    }
    ArrayNode defs = table.putArray("columnDefinitions");
    for (Column c : columns) {
      defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
          .put("description", "").put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> items = new ArrayList<>();
    if (body.has("items")) {
      body.get("items").forEach(items::add);
    } else {
      items.add(body);
    }
    for (JsonNode item : items) {
      rows.add(row(columns, item, includeObject, resource));
    }
    return table;
  }

  public ObjectNode row(ApiResource resource, JsonNode item, String includeObject) {
    return row(columnsFor(resource), item, includeObject, resource);
  }

  public ObjectNode tableWithRows(ApiResource resource, List<ObjectNode> rows) {
    ObjectNode table = convert(resource, mapper.createObjectNode().set("items", mapper.createArrayNode()), "None");
    ArrayNode r = (ArrayNode) table.get("rows");
    rows.forEach(r::add);
    return table;
  }

  private ObjectNode row(List<Column> columns, JsonNode item, String includeObject, ApiResource resource) {
    ObjectNode row = mapper.createObjectNode();
    ArrayNode cells = row.putArray("cells");
    for (Column c : columns) {
      Object v = c.cell().apply(item);
      cells.add(mapper.valueToTree(v));
    }
    if ("Object".equals(includeObject)) {
      row.set("object", item);
    } else if (!"None".equals(includeObject)) {
      ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
          .put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", item.path("metadata").deepCopy());
    }
    return row;
  }

  List<Column> columnsFor(ApiResource r) {
    List<Column> cols = new ArrayList<>();
    cols.add(new Column("Name", "string", "name", 0, o -> text(o, "metadata.name")));
    if (r.isCustom()) {
      for (JsonNode pc : r.crdVersion().path("additionalPrinterColumns")) {
        String path = pc.path("jsonPath").asText();
        String type = pc.path("type").asText("string");
        cols.add(new Column(pc.path("name").asText(), type, pc.path("format").asText(""),
            pc.path("priority").asInt(0), o -> customCell(o, path, type)));
      }
      if (!r.crdVersion().has("additionalPrinterColumns")) {
        cols.add(age());
      }
      return cols;
    }
    switch (r.group() + "/" + r.plural()) {
      case "/pods" -> {
        cols.add(col("Ready", 0, this::podReady));
        cols.add(col("Status", 0, this::podStatus));
        cols.add(new Column("Restarts", "string", "", 0, this::podRestarts));
        cols.add(age());
        cols.add(col("IP", 1, o -> orNone(text(o, "status.podIP"))));
        cols.add(col("Node", 1, o -> orNone(text(o, "spec.nodeName"))));
        cols.add(col("Nominated Node", 1, o -> orNone(text(o, "status.nominatedNodeName"))));
        cols.add(col("Readiness Gates", 1, o -> "<none>"));
      }
      case "/persistentvolumeclaims" -> {
        cols.add(col("Status", 0, o -> text(o, "status.phase")));
        cols.add(col("Volume", 0, o -> text(o, "spec.volumeName")));
        cols.add(col("Capacity", 0, o -> text(o, "status.capacity.storage")));
        cols.add(col("Access Modes", 0, o -> accessModes(o.path("status").path("accessModes"))));
        cols.add(col("StorageClass", 0, o -> text(o, "spec.storageClassName")));
        cols.add(col("VolumeAttributesClass", 0, o -> unset(text(o, "spec.volumeAttributesClassName"))));
        cols.add(age());
        cols.add(col("VolumeMode", 1, o -> text(o, "spec.volumeMode")));
      }
      case "/persistentvolumes" -> {
        cols.add(col("Capacity", 0, o -> text(o, "spec.capacity.storage")));
        cols.add(col("Access Modes", 0, o -> accessModes(o.path("spec").path("accessModes"))));
        cols.add(col("Reclaim Policy", 0, o -> text(o, "spec.persistentVolumeReclaimPolicy")));
        cols.add(col("Status", 0, o -> text(o, "status.phase")));
        cols.add(col("Claim", 0, o -> o.path("spec").has("claimRef")
            ? text(o, "spec.claimRef.namespace") + "/" + text(o, "spec.claimRef.name") : ""));
        cols.add(col("StorageClass", 0, o -> text(o, "spec.storageClassName")));
        cols.add(col("VolumeAttributesClass", 0, o -> unset(text(o, "spec.volumeAttributesClassName"))));
        cols.add(col("Reason", 0, o -> text(o, "status.reason")));
        cols.add(age());
        cols.add(col("VolumeMode", 1, o -> text(o, "spec.volumeMode")));
      }
      case "/services" -> {
        cols.add(col("Type", 0, o -> text(o, "spec.type").isEmpty() ? "ClusterIP" : text(o, "spec.type")));
        cols.add(col("Cluster-IP", 0, o -> orNone(text(o, "spec.clusterIP"))));
        cols.add(col("External-IP", 0, o -> "<none>"));
        cols.add(col("Port(s)", 0, this::servicePorts));
        cols.add(age());
        cols.add(col("Selector", 1, o -> selector(o.path("spec").path("selector"))));
      }
      case "/events", "events.k8s.io/events" -> {
        cols.clear();
        cols.add(col("Last Seen", 0, this::eventLastSeen));
        cols.add(col("Type", 0, o -> text(o, "type")));
        cols.add(col("Reason", 0, o -> text(o, "reason")));
        cols.add(col("Object", 0, o -> involved(o).path("kind").asText("").toLowerCase() + "/"
            + involved(o).path("name").asText("")));
        cols.add(col("Subobject", 1, o -> involved(o).path("fieldPath").asText("")));
        cols.add(col("Source", 1, o -> text(o, "source.component")));
        cols.add(col("Message", 0, o -> text(o, "message").isEmpty() ? text(o, "note") : text(o, "message")));
        cols.add(col("First Seen", 1, o -> ages.since(text(o, "firstTimestamp"))));
        cols.add(new Column("Count", "integer", "", 1, o -> o.path("count").asInt(1)));
        cols.add(new Column("Name", "string", "name", 1, o -> text(o, "metadata.name")));
      }
      case "storage.k8s.io/storageclasses" -> {
        cols.set(0, new Column("Name", "string", "name", 0, o -> text(o, "metadata.name")
            + ("true".equals(o.path("metadata").path("annotations")
                .path("storageclass.kubernetes.io/is-default-class").asText()) ? " (default)" : "")));
        cols.add(col("Provisioner", 0, o -> text(o, "provisioner")));
        cols.add(col("ReclaimPolicy", 0, o -> text(o, "reclaimPolicy").isEmpty() ? "Delete"
            : text(o, "reclaimPolicy")));
        cols.add(col("VolumeBindingMode", 0, o -> text(o, "volumeBindingMode").isEmpty() ? "Immediate"
            : text(o, "volumeBindingMode")));
        cols.add(col("AllowVolumeExpansion", 0, o -> String.valueOf(o.path("allowVolumeExpansion").asBoolean())));
        cols.add(age());
      }
      case "apps/controllerrevisions" -> {
        cols.add(col("Controller", 0, this::controller));
        cols.add(new Column("Revision", "integer", "", 0, o -> o.path("revision").asLong()));
        cols.add(age());
      }
      default -> cols.add(age());
    }
    return cols;
  }

  private Column age() {
    return col("Age", 0, o -> ages.since(text(o, "metadata.creationTimestamp")));
  }

  private static Column col(String name, int priority, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", priority, cell);
  }

  private Object customCell(JsonNode o, String jsonPath, String type) {
    JsonNode n = o;
    for (String p : jsonPath.replaceFirst("^\\.", "").split("\\.")) {
      n = n == null ? null : n.get(p);
    }
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    return switch (type) {
      case "date" -> ages.since(n.asText());
      case "integer" -> n.isNumber() ? n.asLong() : n.asText();
      case "number" -> n.isNumber() ? n.asDouble() : n.asText();
      case "boolean" -> n.isBoolean() ? n.asBoolean() : n.asText();
      default -> n.isValueNode() ? n.asText() : n.toString();
    };
  }

  static String text(JsonNode o, String dotted) {
    JsonNode n = o;
    for (String p : dotted.split("\\.")) {
      n = n.path(p);
    }
    return n.isValueNode() ? n.asText() : "";
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  private static String unset(String s) {
    return s.isEmpty() ? "<unset>" : s;
  }

  static String accessModes(JsonNode modes) {
    List<String> out = new ArrayList<>();
    for (String m : List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")) {
      for (JsonNode n : modes) {
        if (n.asText().equals(m) && !out.contains(abbreviate(m))) {
          out.add(abbreviate(m));
        }
      }
    }
    return String.join(",", out);
  }

  private static String abbreviate(String mode) {
    return switch (mode) {
      case "ReadWriteOnce" -> "RWO";
      case "ReadOnlyMany" -> "ROX";
      case "ReadWriteMany" -> "RWX";
      case "ReadWriteOncePod" -> "RWOP";
      default -> mode;
    };
  }

  private String podReady(JsonNode o) {
    int total = o.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      if (cs.path("ready").asBoolean()) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  private long podRestarts(JsonNode o) {
    long restarts = 0;
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      restarts += cs.path("restartCount").asLong();
    }
    return restarts;
  }

  private String podStatus(JsonNode o) {
    if (o.path("metadata").has("deletionTimestamp")) {
      return "Terminating";
    }
    String reason = text(o, "status.reason");
    if (!reason.isEmpty()) {
      return reason;
    }
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      String waiting = cs.path("state").path("waiting").path("reason").asText("");
      if (!waiting.isEmpty()) {
        return waiting;
      }
      String terminated = cs.path("state").path("terminated").path("reason").asText("");
      if (!terminated.isEmpty()) {
        return terminated;
      }
    }
    String phase = text(o, "status.phase");
    return phase.isEmpty() ? "Pending" : phase;
  }

  private String servicePorts(JsonNode o) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : o.path("spec").path("ports")) {
      String s = p.path("port").asText();
      if (p.has("nodePort")) {
        s += ":" + p.path("nodePort").asText();
      }
      ports.add(s + "/" + p.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String selector(JsonNode sel) {
    List<String> out = new ArrayList<>();
    sel.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static JsonNode involved(JsonNode o) {
    return o.has("involvedObject") ? o.path("involvedObject") : o.path("regarding");
  }

  private String eventLastSeen(JsonNode o) {
    for (String f : List.of("lastTimestamp", "eventTime", "series.lastObservedTime", "firstTimestamp",
        "metadata.creationTimestamp")) {
      String t = text(o, f);
      if (!t.isEmpty()) {
        return ages.since(t.replaceFirst("\\.(\\d{3})\\d*Z$", ".$1Z"));
      }
    }
    return "<unknown>";
  }

  private String controller(JsonNode o) {
    for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean()) {
        String apiVersion = ref.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? "." + apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return ref.path("kind").asText().toLowerCase() + group + "/" + ref.path("name").asText();
      }
    }
    return "<none>";
  }
}
