package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.sandbox.cluster.GarbageCollector;
import dev.ordinal.sandbox.cluster.PersistentVolumeController;
import dev.ordinal.sandbox.cluster.StatefulSetController;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Kubernetes API server: the fabric8 CRUD mock behind {@link SandboxDispatcher}, on 127.0.0.1
 * over plain HTTP, plus the cluster controllers (garbage collector, PV controller, volume resizer, StatefulSet
 * controller) a real cluster runs.
 * It is not a cluster.
 */
public final class EmbeddedApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApiServer.class);

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final String url;
  private final AtomicReference<AdmissionValidator> admission;
  private final List<AutoCloseable> controllers = new ArrayList<>();
  private ResourceCatalog catalog;
  private TableConverter tables;

  private EmbeddedApiServer(KubernetesMockServer server, String url, AtomicReference<AdmissionValidator> admission,
      DeletionPolicies deletionPolicies) {
    this.server = server;
    this.url = url;
    this.admission = admission;
    this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(url)
        .withNamespace("default").withTrustCerts(true).withRequestRetryBackoffLimit(0).build()).build();
    GarbageCollector gc = new GarbageCollector(client, deletionPolicies);
    PersistentVolumeController pvController = new PersistentVolumeController(client);
    gc.start();
    pvController.start();
    controllers.add(gc);
    controllers.add(pvController);
    controllers.add(new dev.ordinal.sandbox.cluster.VolumeResizer(client).start());
    controllers.add(new StatefulSetController(client).start());
  }

  /** Starts a server on 127.0.0.1; port 0 picks a free one. */
  public static EmbeddedApiServer start(int port) {
    ObjectMapper mapper = new ObjectMapper();
    KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
    ResourceCatalog catalog = new ResourceCatalog(() -> storedCrds(store, mapper));
    StatusResponses statuses = new StatusResponses(mapper);
    PatchApplier patches = new PatchApplier(new JsonMergePatch(), new StrategicMergePatch());
    DeletionPolicies deletionPolicies = new DeletionPolicies();
    AtomicReference<AdmissionValidator> admission = new AtomicReference<>(AdmissionValidator.ALLOW_ALL);
    SandboxDispatcher dispatcher = new SandboxDispatcher(store, mapper, catalog,
        new DiscoveryDocuments(mapper, catalog), new OpenApiDocuments(mapper, catalog),
        new TableConverter(mapper, new HumanDuration(Clock.systemUTC())), statuses, patches,
        new ScaleSubresource(mapper, patches, statuses), deletionPolicies, admission);
    KubernetesMockServer server = new KubernetesMockServer(new Context(mapper), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = "http://127.0.0.1:" + server.getPort();
    LOG.info("embedded API server (sandbox, not a cluster) listening on {}", url);
    EmbeddedApiServer started = new EmbeddedApiServer(server, url, admission, deletionPolicies);
    started.catalog = catalog;
    started.tables = new TableConverter(mapper, new HumanDuration(Clock.systemUTC()));
    return started;
  }

  /** The Table (server-side printing) of one object at a request's path, for {@link WatchStreamingFront}. */
  java.util.Optional<com.fasterxml.jackson.databind.node.ObjectNode> table(ApiRequest api, JsonNode object,
      String includeObject) {
    return catalog.find(api.group(), api.version(), api.plural()).map(r -> tables.convert(r, object, includeObject));
  }

  private static List<JsonNode> storedCrds(KubernetesCrudDispatcher store, ObjectMapper mapper) {
    String body = store.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions").getBody().readUtf8();
    List<JsonNode> out = new ArrayList<>();
    ResourceCatalog.readTree(mapper, body).path("items").forEach(out::add);
    return out;
  }

  public KubernetesClient client() {
    return client;
  }

  /** e.g. {@code http://127.0.0.1:34567} */
  public String url() {
    return url;
  }

  /** Creates (or replaces) a CRD; its resources are served at once. */
  public void installCrd(CustomResourceDefinition crd) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
  }

  public void setAdmissionValidator(AdmissionValidator validator) {
    admission.set(Objects.requireNonNull(validator, "validator"));
  }

  @Override
  public void close() {
    for (AutoCloseable c : controllers) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", c, e);
      }
    }
    client.close();
    server.destroy();
  }
}
