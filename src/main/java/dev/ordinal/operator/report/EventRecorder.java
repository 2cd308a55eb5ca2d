package dev.ordinal.operator.report;

import dev.ordinal.planning.EventNote;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events. A note repeated with the same message for the same object is written
 * once per operator process: a steady state (say, a claim that stays unbindable) writes nothing.
 */
public final class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "ordinal-operator";
  private final KubernetesClient client;
  private final Supplier<Instant> clock;
  private final Map<String, String> lastMessage = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client, Supplier<Instant> clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(EventNote note) {
    var o = note.object();
    String key = o.kind() + "/" + o.namespace() + "/" + o.name() + "/" + o.uid() + "/" + note.reason();
    if (note.message().equals(lastMessage.put(key, note.message()))) {
      return;
    }
    String now = clock.get().toString();
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(o.name() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
        .withNamespace(o.namespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(o.apiVersion()).withKind(o.kind()).withNamespace(o.namespace())
            .withName(o.name()).withUid(o.uid()).build())
        .withType(note.type().name())
        .withReason(note.reason())
        .withMessage(note.message())
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource(COMPONENT, null)
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(o.namespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      lastMessage.remove(key);
      log.warn("could not record event {} on {}/{}: {}", note.reason(), o.kind(), o.name(), e.getMessage());
    }
  }

  /** Forgets what was recorded for an object, so that a recurrence is reported again. */
  public void forget(String kind, String namespace, String name) {
    String prefix = kind + "/" + namespace + "/" + name + "/";
    lastMessage.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
