package dev.portico.edge;

import dev.portico.contracts.Topics;
import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.Integration;
import dev.portico.edge.api.OpenApiReader;
import dev.portico.edge.api.Stage;
import dev.portico.edge.http.GatewayHandler;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The edge: serves the configured API on its stages through the data plane, and talks to functions
 * over Kafka.
 */
public final class EdgeService extends ServiceBase {
  private final EdgeConfig config;
  private final AtomicReference<Map<String, Stage>> stages = new AtomicReference<>(Map.of());
  private KafkaFunctionClient functions;
  private HttpServer server;

  public EdgeService(Vertx vertx, EdgeConfig config) {
    super("edge-service", vertx, config.kafka(), config.ops());
    this.config = config;
  }

  @Override
  protected Future<Void> startService() {
    return vertx
        .executeBlocking(
            () -> {
              TopicProvisioner.ensure(
                  kafka, List.of(Topics.EDGE_REPLIES, Topics.CUSTOMER_COMMANDS));
              ApiDefinition api = loadApi();
              Map<String, Stage> byName = new LinkedHashMap<>();
              for (String name : config.stages()) {
                byName.put(name, Stage.of(name, api, Map.of()));
              }
              functions =
                  new KafkaFunctionClient(
                      vertx, kafka, kafka.topic(Topics.EDGE_REPLIES), config.instance(), registry);
              functions.start();
              api.routes().stream()
                  .map(r -> r.integration())
                  .filter(i -> i instanceof Integration.Kafka)
                  .map(Integration::target)
                  .distinct()
                  .forEach(functions::warmUp);
              stages.set(Map.copyOf(byName));
              return null;
            })
        .compose(
            v ->
                vertx
                    .createHttpServer(new HttpServerOptions().setMaxInitialLineLength(8_192))
                    .requestHandler(new GatewayHandler(stages::get, functions, registry))
                    .listen(config.data().port(), config.data().host()))
        .onSuccess(s -> server = s)
        .mapEmpty();
  }

  private ApiDefinition loadApi() throws IOException {
    OpenApiReader reader = new OpenApiReader(kafka.topicPrefix(), config.integrationTimeout());
    if (!config.apiFile().isEmpty()) {
      return reader.read(Files.readAllBytes(Path.of(config.apiFile())));
    }
    try (InputStream in = EdgeService.class.getResourceAsStream("/apis/customer-api.yaml")) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("bundled customer-api.yaml missing"));
      }
      return reader.read(in.readAllBytes());
    }
  }

  /** The data plane's bound port (differs from the configured one when that was 0). */
  public int dataPort() {
    return server == null ? config.data().port() : server.actualPort();
  }

  public int opsPort() {
    return ops.actualPort();
  }

  @Override
  public List<String> urls() {
    List<String> urls = new java.util.ArrayList<>(super.urls());
    for (String stage : stages.get().keySet()) {
      urls.add("edge " + stage + ": " + config.data().url("/" + stage + "/customer"));
    }
    return urls;
  }

  @Override
  protected Future<Void> stopService() {
    // Stop accepting, let in-flight requests finish (server close waits for them), then close
    // Kafka.
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown();
    return closed.eventually(
        () ->
            vertx.executeBlocking(
                () -> {
                  if (functions != null) {
                    functions.close();
                  }
                  return null;
                }));
  }
}
