package dev.portico.edge.it;

import dev.portico.edge.EdgeConfig;
import dev.portico.edge.EdgeService;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;

/**
 * One edge replica for a test, on free ports, with an admin token, on the test's own topic prefix;
 * plus a blocking HTTP client for its data plane and admin API.
 */
final class Edge implements AutoCloseable {
  static final String TOKEN = "test-admin-token";
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Vertx vertx = Vertx.vertx();
  final Map<String, String> env = new HashMap<>();
  EdgeService service;
  private HttpClient client = CLIENT;
  private String scheme = "http";

  Edge(TestKafka kafka, String prefix) {
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_EDGE_PORT", "0");
    env.put("PORTICO_EDGE_OPS_PORT", "0");
    env.put("PORTICO_EDGE_ADMIN_PORT", "0");
    env.put("PORTICO_EDGE_DYNAMODB_PORT", "0");
    env.put("PORTICO_EDGE_ADMIN_TOKEN", TOKEN);
    env.put("PORTICO_EDGE_INTEGRATION_TIMEOUT_MS", "5000");
  }

  Edge with(String name, String value) {
    env.put(name, value);
    return this;
  }

  /**
   * Serves HTTPS with the PEM files {@code certificate} and {@code key}; this helper's client
   * trusts {@code trust} and speaks {@code version}.
   */
  Edge https(Path certificate, Path key, SSLContext trust, HttpClient.Version version) {
    env.put("PORTICO_EDGE_TLS_CERT_FILE", certificate.toString());
    env.put("PORTICO_EDGE_TLS_KEY_FILE", key.toString());
    client =
        HttpClient.newBuilder()
            .sslContext(trust)
            .version(version)
            // The first handshakes load and warm up TLS on both sides: slow on a busy machine.
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    scheme = "https";
    return this;
  }

  Edge start() {
    service = new EdgeService(vertx, EdgeConfig.read(new ConfigReader(env)));
    try {
      service.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(service::isReady);
    return this;
  }

  HttpResponse<String> get(String path) {
    return send(client, HttpRequest.newBuilder(data(path)).GET().build());
  }

  HttpResponse<String> request(String method, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(data(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(client, b.build());
  }

  /** An admin call with the right token; {@code body} is sent as is (JSON or YAML). */
  HttpResponse<String> admin(String method, String path, String body) {
    return adminAs("Bearer " + TOKEN, method, path, body);
  }

  HttpResponse<String> adminAs(String authorization, String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + service.adminPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("authorization", authorization);
    }
    return send(client, b.build());
  }

  URI data(String path) {
    return URI.create(scheme + "://127.0.0.1:" + service.dataPort() + path);
  }

  static HttpResponse<String> send(HttpRequest request) {
    return send(CLIENT, request);
  }

  static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
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
      if (service != null) {
        service.stop().await(30, TimeUnit.SECONDS);
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
