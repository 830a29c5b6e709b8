package dev.portico.function.it;

import dev.portico.edge.EdgeConfig;
import dev.portico.edge.EdgeService;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** The real edge, in process, on free ports and the test's own topic prefix. */
final class EdgeUnderTest implements AutoCloseable {
  static final String TOKEN = "sdk-it-token";
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          // One connection per call in flight: HTTP/2 would cap the calls waiting out a restart.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Vertx vertx = Vertx.vertx();
  private final EdgeService service;

  EdgeUnderTest(TestKafka kafka, String prefix) {
    this(kafka.bootstrapServers(), prefix);
  }

  EdgeUnderTest(String bootstrapServers, String prefix) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_KAFKA_BOOTSTRAP", bootstrapServers);
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_EDGE_PORT", "0");
    env.put("PORTICO_EDGE_OPS_PORT", "0");
    env.put("PORTICO_EDGE_ADMIN_PORT", "0");
    env.put("PORTICO_EDGE_DYNAMODB_PORT", "0");
    env.put("PORTICO_EDGE_ADMIN_TOKEN", TOKEN);
    service = new EdgeService(vertx, EdgeConfig.read(new ConfigReader(env)));
    try {
      service.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(service::isReady);
  }

  /** Imports an OpenAPI document as API {@code id} and deploys it to {@code stage}. */
  void deploy(String id, String document, String stage) {
    HttpResponse<String> imported = admin("PUT", "/apis/" + id, document);
    if (imported.statusCode() != 200) {
      throw new IllegalStateException("import: " + imported.statusCode() + imported.body());
    }
    HttpResponse<String> deployed =
        admin("POST", "/apis/" + id + "/deployments", "{\"stage\":\"" + stage + "\"}");
    if (deployed.statusCode() != 201) {
      throw new IllegalStateException("deploy: " + deployed.statusCode() + deployed.body());
    }
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(data(path)).timeout(Duration.ofSeconds(60)).build());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return CLIENT.sendAsync(
        HttpRequest.newBuilder(data(path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The edge's own Prometheus scrape. */
  String metrics() {
    return send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.opsPort() + "/metrics"))
            .build())
        .body();
  }

  private HttpResponse<String> admin(String method, String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.adminPort() + path))
            .header("authorization", "Bearer " + TOKEN)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private URI data(String path) {
    return URI.create("http://127.0.0.1:" + service.dataPort() + path);
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      service.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
