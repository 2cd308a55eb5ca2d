package dev.ordinal.operator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.planning.EventNote;
import dev.ordinal.sandbox.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events are written in the background, in the order recorded, once per repeated note, and none is lost at shutdown. */
class EventRecorderMockTest {
  private static EmbeddedApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = EmbeddedApiServer.start(0);
    client = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyQueuedEventIsWrittenBeforeCloseReturns() {
    EventRecorder recorder = new EventRecorder(client, Instant::now);
    for (int i = 0; i < 50; i++) {
      recorder.record(note("flush", "web-" + i, "create Pod web-" + i));
    }
    recorder.close();
    assertThat(events("flush")).hasSize(50);
  }

  @Test
  void aRepeatedNoteIsWrittenOnceAndAChangedOneAgain() {
    try (EventRecorder recorder = new EventRecorder(client, Instant::now)) {
      recorder.record(note("repeat", "web-0", "claim www-web-0 has no volume"));
      recorder.record(note("repeat", "web-0", "claim www-web-0 has no volume"));
      recorder.record(note("repeat", "web-0", "claim www-web-0 is Bound"));
      await().atMost(Duration.ofSeconds(10)).until(() -> events("repeat").size() == 2);
      assertThat(events("repeat")).extracting(Event::getMessage)
          .containsExactlyInAnyOrder("claim www-web-0 has no volume", "claim www-web-0 is Bound");
    }
  }

  private static EventNote note(String namespace, String name, String message) {
    return new EventNote(new EventNote.Involved("v1", "Pod", namespace, name, "uid-" + name), EventNote.Type.Normal, "Test", message);
  }

  private static List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }
}
