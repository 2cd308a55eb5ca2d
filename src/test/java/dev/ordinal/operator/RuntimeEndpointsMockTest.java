package dev.ordinal.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordinal.cli.HttpEndpoints;
import dev.ordinal.operator.config.OperatorConfig;
import dev.ordinal.operator.health.InformerHealth;
import dev.ordinal.testing.Cluster;
import dev.ordinal.testing.OperatorHarness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /healthz, /livez, /readyz and /metrics of a real operator, over HTTP. */
class RuntimeEndpointsMockTest {
  @RegisterExtension
  static final OperatorHarness harness = OperatorHarness.withoutOperator();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesAndMetricsOverHttp() throws Exception {
    Cluster c = new Cluster(harness);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OrdinalOperator operator = OrdinalOperator.create(harness.client(), OperatorConfig.local(Set.of()), registry, Instant::now);
    try (HttpEndpoints endpoints = new HttpEndpoints(0, registry,
        () -> HttpEndpoints.Probe.of(operator.isReady(), "not ready: " + operator.health().describe()),
        () -> HttpEndpoints.Probe.of(operator.isLive(), "not live: " + operator.health().describe()))) {
      int port = endpoints.port();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(port, "/livez").statusCode()).as("live before start: the startup probe covers start").isEqualTo(200);
      HttpResponse<String> notReady = get(port, "/readyz");
      assertThat(notReady.statusCode()).as("not ready before the informers run").isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("not ready: not started\n");

      operator.start();
      assertThat(get(port, "/readyz").statusCode()).as("ready once start() returned: informers synced").isEqualTo(200);
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> live = get(port, "/livez");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("ok\n");
      assertThat(operator.informers()).as("every informer of the controller, each watching")
          .extracting(InformerHealth.Informer::name)
          .contains("ordinalset/pods", "ordinalset/claims", "ordinalset/volumes", "ordinalset/revisions")
          .as("the storage mode shares the OrdinalSet controller's claim and volume informers: one copy of each")
          .noneMatch(name -> name.startsWith("statefulset-storage/") && (name.contains("claim") || name.contains("volume")));
      assertThat(operator.informers()).allMatch(i -> i.running() && i.synced() && i.watching());

      c.createPv("pv-a", "1Gi");
      c.createPv("pv-b", "1Gi");
      c.create(c.web(2));
      c.awaitBound("www-web-0", "www-web-1");
      c.awaitReady("web-0", "web-1");

      String bound = "ordinal_claims_bound{namespace=\"" + c.ns() + "\",set=\"web\"} 2.0";
      await().atMost(Cluster.TIMEOUT).untilAsserted(() -> assertThat(get(port, "/metrics").body()).contains(bound));
      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      String body = metrics.body();
      assertThat(body)
          .contains("ordinal_claims_pending{namespace=\"" + c.ns() + "\",set=\"web\"} 0.0")
          .contains("ordinal_ready_replicas{namespace=\"" + c.ns() + "\",set=\"web\"} 2.0")
          .contains("ordinal_rollout_updated_replicas{namespace=\"" + c.ns() + "\",set=\"web\"}")
          .contains("ordinal_actions_total{outcome=\"done\",type=\"CreatePod\"}")
          .contains("ordinal_bind_latency_seconds_count{namespace=\"" + c.ns() + "\",set=\"web\"} 2")
          .contains("ordinal_reconcile_duration_seconds_count{namespace=\"" + c.ns() + "\",set=\"web\"}")
          .contains("operator_sdk_reconciliations_started_total")
          .contains("operator_sdk_reconciliations_success_total")
          .contains("operator_sdk_events_received_total");
      // The exported names, for docs/configuration.md.
      Set<String> names = new TreeSet<>();
      body.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.substring(7)).filter(l -> l.startsWith("ordinal_") || l.startsWith("operator_sdk"))
          .forEach(names::add);
      System.out.println("[metrics] " + String.join("\n[metrics] ", names));
    } finally {
      operator.close();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
