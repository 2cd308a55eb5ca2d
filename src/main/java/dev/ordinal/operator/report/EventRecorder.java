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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events. A note repeated with the same message for the same object is written
 * once per operator process: a steady state (say, a claim that stays unbindable) writes nothing.
 *
 * <p>Written in the background, in order, by one thread, as client-go's event broadcaster does:
 * a reconcile does not wait for its Events (two writes per ordinal in an OrderedReady set), so
 * the next pod's reconcile is not held behind them. At most {@link #MAX_QUEUED} wait; beyond that
 * a note is dropped with a log line (client-go's queue is also 1,000), and reported again when it
 * recurs.
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "ordinal-operator";
  static final int MAX_QUEUED = 1000;
  private final KubernetesClient client;
  private final Supplier<Instant> clock;
  private final Map<String, String> lastMessage = new ConcurrentHashMap<>();
  private final Semaphore queued = new Semaphore(MAX_QUEUED);
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "event-recorder");
    t.setDaemon(true);
    return t;
  });

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
    if (!queued.tryAcquire()) {
      lastMessage.remove(key, note.message());
      log.warn("dropped event {} on {}/{}: {} events are waiting to be written", note.reason(), o.kind(), o.name(), MAX_QUEUED);
      return;
    }
    try {
      writer.execute(() -> {
        try {
          write(note, key);
        } finally {
          queued.release();
        }
      });
    } catch (RejectedExecutionException closed) {
      queued.release();
      lastMessage.remove(key, note.message());
    }
  }

  private void write(EventNote note, String key) {
    var o = note.object();
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
      lastMessage.remove(key, note.message());
      log.warn("could not record event {} on {}/{}: {}", note.reason(), o.kind(), o.name(), e.getMessage());
    }
  }

  /** Writes what is queued (waiting at most a few seconds), then stops. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("{} events not written at shutdown", MAX_QUEUED - queued.availablePermits());
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.shutdownNow();
    }
  }

  /** Forgets what was recorded for an object, so that a recurrence is reported again. */
  public void forget(String kind, String namespace, String name) {
    String prefix = kind + "/" + namespace + "/" + name + "/";
    lastMessage.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
