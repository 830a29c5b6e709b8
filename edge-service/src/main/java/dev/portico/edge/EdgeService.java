package dev.portico.edge;

import dev.portico.contracts.Topics;
import dev.portico.edge.admin.AdminServer;
import dev.portico.edge.admin.GatewayAdmin;
import dev.portico.edge.admin.PlansAdmin;
import dev.portico.edge.api.ApiImporter;
import dev.portico.edge.api.Integration;
import dev.portico.edge.api.OpenApiReader;
import dev.portico.edge.cache.StageCaches;
import dev.portico.edge.config.ConfigTopic;
import dev.portico.edge.dynamo.DynamoApi;
import dev.portico.edge.dynamo.DynamoServer;
import dev.portico.edge.dynamo.SignatureCheck;
import dev.portico.edge.dynamo.StreamsApi;
import dev.portico.edge.guards.ApiKeyGuard;
import dev.portico.edge.guards.FunctionAuthorizerGuard;
import dev.portico.edge.guards.IpGuard;
import dev.portico.edge.guards.JwtGuard;
import dev.portico.edge.guards.ThrottleGuard;
import dev.portico.edge.guards.ValidationGuard;
import dev.portico.edge.http.DataPlaneServer;
import dev.portico.edge.http.GatewayHandler;
import dev.portico.edge.integration.HttpProxy;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.edge.observe.DashboardPage;
import dev.portico.edge.observe.RequestEventPublisher;
import dev.portico.edge.plans.Throttler;
import dev.portico.edge.plans.UsageLedger;
import dev.portico.edge.request.Limits;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.ServingState;
import dev.portico.edge.serving.ServingStateBuilder;
import dev.portico.edge.steps.BodyLimit;
import dev.portico.edge.steps.CacheLookup;
import dev.portico.edge.steps.CacheStore;
import dev.portico.edge.steps.Cors;
import dev.portico.edge.steps.IntegrationCall;
import dev.portico.edge.steps.QueryEncoding;
import dev.portico.edge.steps.RequestLimits;
import dev.portico.edge.steps.ResponseWriter;
import dev.portico.edge.steps.RouteLookup;
import dev.portico.edge.steps.StageSelector;
import dev.portico.edge.tls.CertificateReloader;
import dev.portico.edge.tls.ServerCertificate;
import dev.portico.edge.websocket.WebSocketGateway;
import dev.portico.edge.websocket.WebSockets;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.CompactedView;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.table.catalog.TableDefinition;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The edge: serves the configured APIs on their stages through the data plane, applies the gateway
 * configuration from its Kafka topic, and runs the admin API when a token is configured.
 *
 * <p>Longer than most classes on purpose: it is the edge's composition root, where every part is
 * built, started in its order and closed in reverse, and where the data plane's chain is listed
 * step by step. Each part's logic lives in its own class; here only the wiring, read in one place.
 */
public final class EdgeService extends ServiceBase {
  private static final String BUNDLED_API = "/apis/customer-api.yaml";

  private final EdgeConfig config;
  private final AtomicReference<ServingState> serving = new AtomicReference<>(ServingState.EMPTY);
  private final OpenApiReader reader;
  private volatile KafkaFunctionClient functions;
  private HttpProxy http;
  private ConfigTopic configTopic;
  private AdminServer admin;
  private DataPlaneServer server;
  private UsageLedger usage;
  private RequestEventPublisher events;
  private WebSockets webSockets;
  private ServerCertificate certificate;
  private CertificateReloader certificates;
  private CompactedView<TableDefinition> tables;
  private DynamoApi dynamoApi;
  private DynamoServer dynamo;
  private StreamsApi streams;

  public EdgeService(Vertx vertx, EdgeConfig config) {
    super("edge-service", vertx, config.kafka(), config.ops());
    this.config = config;
    this.reader =
        new OpenApiReader(
            kafka.topicPrefix(), config.integrationTimeout(), config.maxIntegrationTimeout());
    DashboardPage.mount(
        vertx,
        ops.router(),
        config.data().host(),
        this::dataPort,
        config.tls().enabled(),
        config.dashboard());
  }

  /**
   * Provisions the topics, then starts the three parts that each read a topic before they can serve
   * (the reply consumer, the gateway configuration with the startup APIs, the usage ledger) side by
   * side on worker threads, since each mostly waits on the broker; then what needs them, then the
   * listeners.
   */
  @Override
  protected Future<Void> startService() {
    return blocking(this::provisionTopics)
        .compose(
            v ->
                Future.all(
                    blocking(this::startFunctionClient),
                    blocking(this::startGatewayConfig),
                    blocking(this::startUsageLedger),
                    blocking(this::startTableCatalog),
                    blocking(this::loadCertificate)))
        .compose(v -> blocking(this::startWebSocketsAndWarmUp))
        .compose(v -> listenData())
        .compose(v -> listenDynamo())
        .compose(v -> listenAdmin())
        .onSuccess(v -> watchCertificate())
        .mapEmpty();
  }

  /** Runs {@code step} on a worker thread, not ordered with other blocking steps. */
  private Future<Void> blocking(StartStep step) {
    return vertx.executeBlocking(
        () -> {
          step.run();
          return null;
        },
        false);
  }

  @FunctionalInterface
  private interface StartStep {
    void run() throws Exception;
  }

  private void provisionTopics() {
    TopicProvisioner.ensure(
        kafka,
        List.of(
            Topics.EDGE_REPLIES,
            Topics.CUSTOMER_COMMANDS,
            Topics.EDGE_CONFIG,
            Topics.EDGE_USAGE,
            Topics.GATEWAY_REQUESTS,
            Topics.WS_CHANNELS,
            Topics.WS_COMMANDS,
            Topics.TABLES_CATALOG,
            Topics.TABLE_CHANGES));
  }

  private void startTableCatalog() {
    tables =
        new CompactedView<>(
            kafka.topic(Topics.TABLES_CATALOG),
            new KafkaConsumer<>(
                ClientSettings.committedReader(kafka.clientProperties("portico-edge-catalog")),
                new StringDeserializer(),
                new ByteArrayDeserializer()),
            TableDefinition::fromJson);
  }

  /** The DynamoDB API on its own port: commands to the table service like every other write. */
  private Future<Void> listenDynamo() {
    String commands = kafka.topic(Topics.CUSTOMER_COMMANDS);
    return vertx
        .executeBlocking(
            () -> {
              streams =
                  StreamsApi.of(
                      vertx,
                      tables,
                      streamsReader(),
                      kafka.topic(Topics.TABLE_CHANGES),
                      config.integrationTimeout());
              return functions.partitionCount(commands);
            })
        .compose(
            partitions -> {
              dynamoApi =
                  new DynamoApi(
                      functions, tables, commands, partitions, config.integrationTimeout());
              dynamo =
                  new DynamoServer(
                      vertx,
                      dynamoApi,
                      streams,
                      SignatureCheck.of(config.dynamoAccessKeys(), Clock.systemUTC()),
                      functions.maxRecordBytes());
              return dynamo.listen(config.dynamo().host(), config.dynamo().port(), certificate);
            })
        .mapEmpty();
  }

  /** The DynamoDB Streams API's reader: group-less, committed records only, no long polls. */
  private KafkaConsumer<String, byte[]> streamsReader() {
    Map<String, Object> settings =
        ClientSettings.committedReader(kafka.clientProperties("portico-edge-streams"));
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    return new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void startFunctionClient() {
    functions =
        new KafkaFunctionClient(
            vertx, kafka, kafka.topic(Topics.EDGE_REPLIES), config.instance(), registry);
    functions.start();
  }

  private void startGatewayConfig() throws Exception {
    ServingStateBuilder builder = new ServingStateBuilder(reader);
    configTopic = new ConfigTopic(kafka, c -> serving.set(builder.build(c)));
    configTopic.start();
    importStartupApis();
  }

  private void loadCertificate() {
    if (config.tls().enabled()) {
      certificate = ServerCertificate.load(config.tls());
    }
  }

  private void startUsageLedger() {
    usage =
        new UsageLedger(
            kafka,
            kafka.topic(Topics.EDGE_USAGE),
            Integer.toString(config.instance()),
            Clock.systemUTC(),
            config.usageFlush(),
            Duration.ofSeconds(5));
    usage.start();
    Gauge.builder("portico.edge.live.replicas", usage, u -> 1 / u.share())
        .description("Edge replicas alive, as this replica counts them to share the limits")
        .register(registry);
  }

  private void startWebSocketsAndWarmUp() {
    events =
        new RequestEventPublisher(
            kafka, kafka.topic(Topics.GATEWAY_REQUESTS), config.requestEventBuffer(), registry);
    webSockets =
        new WebSockets(
            vertx,
            kafka,
            functions,
            kafka.topic(Topics.WS_CHANNELS),
            kafka.topic(Topics.WS_COMMANDS),
            config.instance(),
            replica -> usage.isLive(Integer.toString(replica)),
            config.webSocket(),
            WebSocketGateway.keepAliveFor(config.httpIdleTimeout()),
            registry,
            events::publish);
    webSockets.start();
    warmUp();
  }

  private void importStartupApis() throws Exception {
    ApiImporter importer = new ApiImporter(reader);
    if (config.apiFiles().isEmpty()) {
      try (InputStream in = EdgeService.class.getResourceAsStream(BUNDLED_API)) {
        if (in == null) {
          throw new IOException("bundled " + BUNDLED_API + " missing");
        }
        StartupApis.apply(
            configTopic, importer, "customer-api.yaml", in.readAllBytes(), config.stages());
      }
    }
    for (String file : config.apiFiles()) {
      StartupApis.apply(
          configTopic, importer, file, Files.readAllBytes(Path.of(file)), config.stages());
    }
  }

  /**
   * Fetches Kafka topic metadata now so that the first request does not pay for it. A function's
   * topic may not exist yet (functions own their topics): that is logged, and its routes answer 503
   * until it does.
   */
  private void warmUp() {
    Set<String> existing = TopicProvisioner.existing(kafka);
    serving.get().stages().values().stream()
        .flatMap(s -> s.main().routes().routes().stream())
        .map(r -> r.integration())
        .filter(i -> i instanceof Integration.Kafka)
        .map(Integration::target)
        .distinct()
        .forEach(
            topic -> {
              if (existing.contains(topic)) {
                functions.warmUp(topic);
              } else {
                log.warn("Topic {} does not exist yet; its routes answer 503 until it does", topic);
              }
            });
  }

  private Future<Void> listenData() {
    http =
        new HttpProxy(
            vertx,
            config.httpPoolSize(),
            config.httpWaitQueue(),
            config.eventLoops(),
            Limits.MAX_BODY_BYTES,
            config.trustedProxies());
    Throttler throttler = new Throttler(usage::share, System::nanoTime);
    vertx.setPeriodic(60_000, id -> throttler.evictIdle());
    StageCaches caches = new StageCaches(System::currentTimeMillis, registry);
    // The data plane's chain: every request passes these steps in this order (docs/gateway.md,
    // "Protecting an API"), until one answers or refuses it.
    List<Step> chain =
        List.of(
            new RequestLimits(),
            new StageSelector(serving::get),
            new IpGuard(),
            new Cors(),
            new QueryEncoding(),
            new RouteLookup(webSockets.gateway()),
            new BodyLimit(functions.maxRecordBytes()),
            new ApiKeyGuard(() -> serving.get().apiKeys()),
            new JwtGuard(vertx),
            new FunctionAuthorizerGuard(
                functions::invoke, events::publish, registry, System::currentTimeMillis),
            new ThrottleGuard(throttler, usage, config.throttle(), Clock.systemUTC()),
            new ValidationGuard(),
            new CacheLookup(caches),
            new IntegrationCall(functions, http, webSockets.gateway(), events::publish),
            new CacheStore(caches),
            new ResponseWriter());
    GatewayHandler handler = new GatewayHandler(chain, events, registry);
    server =
        new DataPlaneServer(
            vertx,
            handler,
            config.eventLoops(),
            (int) config.httpIdleTimeout().toMillis(),
            config.webSocket().maxMessageBytes(),
            certificate);
    return server.listen(config.data().host(), config.data().port());
  }

  private Future<Void> listenAdmin() {
    if (config.adminToken().isEmpty()) {
      log.warn(
          "Admin API off: PORTICO_EDGE_ADMIN_TOKEN is not set (set it to manage APIs, deployments"
              + " and stages on port {})",
          config.admin().port());
      return Future.succeededFuture();
    }
    GatewayAdmin operations = new GatewayAdmin(configTopic, new ApiImporter(reader));
    admin =
        new AdminServer(
            vertx,
            operations,
            new PlansAdmin(configTopic, usage),
            webSockets.connections(),
            reader,
            dynamoApi,
            config.adminToken());
    return admin.listen(config.admin().host(), config.admin().port(), certificate).mapEmpty();
  }

  /** With HTTPS on, serves renewed certificate files on both servers without a restart. */
  private void watchCertificate() {
    if (certificate == null) {
      return;
    }
    certificates =
        new CertificateReloader(
            vertx,
            config.tls(),
            certificate,
            () -> {
              List<HttpServer> servers = new ArrayList<>(server.servers());
              if (admin != null) {
                servers.add(admin.server());
              }
              if (dynamo != null) {
                servers.add(dynamo.server());
              }
              return servers;
            });
    certificates.start();
  }

  /** The data plane's bound port (differs from the configured one when that was 0). */
  public int dataPort() {
    return server == null ? config.data().port() : server.actualPort();
  }

  /** The DynamoDB API's bound port. */
  public int dynamoPort() {
    return dynamo == null ? config.dynamo().port() : dynamo.actualPort();
  }

  /** The admin API's bound port, or -1 when it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.actualPort();
  }

  public int opsPort() {
    return ops.actualPort();
  }

  /** Edge replicas this one has heard from lately (itself included): limits are split by it. */
  public int liveReplicas() {
    return usage == null ? 1 : (int) Math.round(1 / usage.share());
  }

  /** What replaces the HTTPS certificate when its files change; null when HTTPS is off. */
  public CertificateReloader certificates() {
    return certificates;
  }

  /** This replica's WebSocket side (tests, the banner). */
  public WebSockets webSockets() {
    return webSockets;
  }

  /** What the data plane serves now (for tests and the launcher's banner). */
  public ServingState serving() {
    return serving.get();
  }

  @Override
  public List<String> urls() {
    List<String> urls = new ArrayList<>(super.urls());
    HttpEndpoint data = new HttpEndpoint(config.data().host(), dataPort());
    serving.get().stages().keySet().stream()
        .sorted()
        .forEach(stage -> urls.add("edge " + stage + ": " + served(data.url("/" + stage + "/"))));
    urls.add(
        "edge dashboard: " + new HttpEndpoint(ops.endpoint().host(), opsPort()).url("/dashboard"));
    urls.add(
        "edge DynamoDB API: "
            + served(new HttpEndpoint(config.dynamo().host(), dynamoPort()).url("/")));
    if (admin != null) {
      urls.add(
          "edge admin: "
              + served(new HttpEndpoint(config.admin().host(), adminPort()).url("/openapi.yaml")));
    }
    return urls;
  }

  /** Without its reply listener the edge answers every integration request with a timeout. */
  @Override
  protected Optional<String> serviceFailure() {
    KafkaFunctionClient current = functions;
    return current == null ? Optional.empty() : stopped("the reply listener", current.failure());
  }

  /** {@code url} as the data plane and the admin API serve it: https:// when TLS is on. */
  private String served(String url) {
    return config.tls().enabled() ? url.replaceFirst("^http:", "https:") : url;
  }

  @Override
  protected Future<Void> stopService() {
    // Stop accepting, let in-flight requests finish (server close waits for them), then close
    // Kafka.
    if (certificates != null) {
      certificates.stop();
    }
    if (webSockets != null) {
      webSockets.closeSockets();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown();
    if (admin != null) {
      closed = closed.eventually(admin::close);
    }
    if (dynamo != null) {
      closed = closed.eventually(dynamo::close);
    }
    return closed.eventually(
        () ->
            closeInOrder(http, configTopic, usage, webSockets, events, streams, tables, functions));
  }
}
