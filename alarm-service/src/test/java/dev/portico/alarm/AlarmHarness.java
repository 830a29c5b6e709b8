package dev.portico.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.FreePorts;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * One alarm-service for a test: its own topic prefix, state directory and port, a clock the test
 * moves, fast commits and ticks; plus an HTTP client for its API and a producer of datapoints (what
 * metrics-service would publish). Stop and start it again to test restarts.
 */
public final class AlarmHarness implements AutoCloseable {
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final MutableClock clock;
  public final Map<String, String> env = new HashMap<>();
  private final Vertx vertx = Vertx.vertx();
  private final int port = FreePorts.next();
  private final String prefix;
  private final KafkaProducer<String, byte[]> producer;
  private AlarmService service;

  public AlarmHarness(TestKafka kafka, MutableClock clock) {
    this(kafka, clock, kafka.freshPrefix());
  }

  /** A replica on {@code prefix}: harnesses sharing a prefix are replicas of one service. */
  public AlarmHarness(TestKafka kafka, MutableClock clock, String prefix) {
    this.clock = clock;
    this.prefix = prefix;
    Path state;
    try {
      state = Files.createTempDirectory("alarm-service-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_TOPIC_PARTITIONS", "2");
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_ALARM_PORT", Integer.toString(port));
    env.put("PORTICO_ALARM_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("PORTICO_ALARM_STATE_DIR", state.toString());
    env.put("PORTICO_ALARM_COMMIT_INTERVAL_MS", "20");
    env.put("PORTICO_ALARM_EVALUATION_TICK_MS", "50");
    env.put("PORTICO_ALARM_CLUSTER_NAME", "Portico");
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  public AlarmHarness with(String name, String value) {
    env.put(name, value);
    return this;
  }

  public AlarmHarness smtp(int smtpPort) {
    return with("PORTICO_SMTP_HOST", "127.0.0.1")
        .with("PORTICO_SMTP_PORT", Integer.toString(smtpPort))
        .with("PORTICO_SMTP_TIMEOUT_MS", "2000");
  }

  public AlarmHarness start() {
    service = new AlarmService(vertx, AlarmConfig.read(new ConfigReader(env)), clock);
    try {
      service.start().await(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(service::isReady);
    return this;
  }

  /** Stops the service gracefully; {@link #start()} brings up a new one on the same state. */
  public void stop() {
    try {
      service.stop().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    service = null;
  }

  public AlarmService service() {
    return service;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public HttpResponse<String> call(String method, String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json")
            .build());
  }

  /** Calls the API and checks the status; returns the JSON body (or null when there is none). */
  public JsonNode expect(int status, String method, String path, String body) {
    HttpResponse<String> response = call(method, path, body);
    if (response.statusCode() != status) {
      throw new AssertionError(
          method
              + " "
              + path
              + ": expected "
              + status
              + ", got "
              + response.statusCode()
              + " "
              + response.body());
    }
    return json(response.body());
  }

  public static JsonNode json(String body) {
    try {
      return body == null || body.isEmpty() ? null : Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("Not JSON: " + body, e);
    }
  }

  public static HttpResponse<String> get(String absoluteUrl) {
    return send(HttpRequest.newBuilder(URI.create(absoluteUrl)).GET().build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Publishes a final datapoint, as metrics-service does, and waits for Kafka to have it. */
  public void datapoint(
      String namespace, String metric, Map<String, String> dims, int period, String at, double v) {
    MetricDatapoint dp =
        new MetricDatapoint(
            namespace,
            metric,
            dims,
            period,
            Instant.parse(at).toEpochMilli(),
            1,
            v,
            v,
            v,
            null,
            null);
    publish(dp);
  }

  public void publish(MetricDatapoint dp) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  prefix + "metrics.datapoints",
                  dp.namespace() + "/" + dp.metricName(),
                  Json.toBytes(dp)))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (service != null) {
      stop();
    }
    producer.close();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
