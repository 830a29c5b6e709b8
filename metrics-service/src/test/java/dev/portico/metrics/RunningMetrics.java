package dev.portico.metrics;

import dev.portico.contracts.Json;
import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.MetricDatum;
import dev.portico.contracts.RequestEvent;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.MutableClock;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * A metrics-service on the test broker with its own topic prefix, a clock the test moves, and the
 * clients a test needs: HTTP, producers for both inputs, a read_committed datapoints reader.
 */
final class RunningMetrics implements AutoCloseable {
  final Map<String, String> env = new HashMap<>();
  final MutableClock clock;
  final String prefix;
  final HttpClient http = HttpClient.newHttpClient();
  private final Vertx vertx = Vertx.vertx();
  private final KafkaProducer<String, RequestEvent> gateway;
  private final KafkaProducer<String, MetricDatum> custom;
  private final KafkaConsumer<String, MetricDatapoint> datapoints;
  private final List<MetricDatapoint> seen = new ArrayList<>();
  MetricsService service;

  RunningMetrics(String bootstrap, String prefix, Path stateDir, MutableClock clock) {
    this.clock = clock;
    this.prefix = prefix;
    env.put("PORTICO_KAFKA_BOOTSTRAP", bootstrap);
    env.put("PORTICO_TOPIC_PREFIX", prefix);
    env.put("PORTICO_TOPIC_PARTITIONS", "2");
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_METRICS_PORT", "0");
    env.put("PORTICO_METRICS_STATE_DIR", stateDir.toString());
    env.put("PORTICO_METRICS_COMMIT_INTERVAL_MS", "50");
    env.put("PORTICO_METRICS_CLOSE_INTERVAL_MS", "50");
    env.put("PORTICO_METRICS_GRACE_MS", "5000");
    env.put("PORTICO_METRICS_HIGH_RESOLUTION_GRACE_MS", "1000");
    Map<String, Object> producerProps =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    gateway =
        new KafkaProducer<>(
            producerProps, new StringSerializer(), new JsonSerde<>(RequestEvent.class));
    custom =
        new KafkaProducer<>(
            producerProps, new StringSerializer(), new JsonSerde<>(MetricDatum.class));
    datapoints =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new JsonSerde<>(MetricDatapoint.class));
  }

  RunningMetrics with(String name, String value) {
    env.put(name, value);
    return this;
  }

  RunningMetrics start() {
    service = new MetricsService(vertx, MetricsConfig.read(new ConfigReader(env)), clock);
    await(service.start());
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(service::isReady);
    datapoints.subscribe(List.of(prefix + "metrics.datapoints"));
    return this;
  }

  /** Waits until this replica runs (again, after a rebalance another replica caused). */
  void awaitReady() {
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(service::isReady);
  }

  void stop() {
    await(service.stop());
    service = null;
  }

  void sendGateway(RequestEvent event) {
    gateway.send(new ProducerRecord<>(prefix + "gateway.requests", event.api(), event));
  }

  void sendCustom(MetricDatum datum) {
    custom.send(
        new ProducerRecord<>(
            prefix + "metrics.custom", datum.namespace() + "/" + datum.metricName(), datum));
  }

  void flush() {
    gateway.flush();
    custom.flush();
  }

  /** Every datapoint read so far, after reading what arrived. */
  List<MetricDatapoint> datapoints() {
    datapoints.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
    return List.copyOf(seen);
  }

  List<MetricDatapoint> awaitDatapoints(java.util.function.Predicate<List<MetricDatapoint>> done) {
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> done.test(datapoints()));
    return List.copyOf(seen);
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + service.httpPort() + pathAndQuery;
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> response)
      throws Exception {
    return Json.MAPPER.readTree(response.body());
  }

  /** A counter from /metrics (Prometheus text), summed over the series matching {@code labels}. */
  double counter(String name, String labels) throws Exception {
    String text = get("/metrics").body();
    Matcher matcher =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    double sum = 0;
    while (matcher.find()) {
      if (matcher.group(1).contains(labels)) {
        sum += Double.parseDouble(matcher.group(2));
      }
    }
    return sum;
  }

  /**
   * Waits until the service has aggregated {@code count} records of {@code source} (gateway or
   * custom) since it started: only then may a test move the clock past their periods' grace.
   */
  void awaitIngested(String source, double count) {
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                counter("portico_metrics_events_ingested_total", "source=\"" + source + "\"")
                    >= count);
  }

  /**
   * Waits until the aggregation's consumer group has committed every record of {@code topics}
   * (suffixes): nothing of them is left to process. Exactly-once commits offsets with the state and
   * outputs they produced, so this is also "all of it is in the state".
   */
  void awaitCaughtUp(String... topics) {
    String group = prefix + "portico-metrics-service";
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", env.get("PORTICO_KAFKA_BOOTSTRAP")))) {
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                for (String topic : topics) {
                  var description =
                      admin.describeTopics(List.of(prefix + topic)).allTopicNames().get();
                  for (var partition : description.get(prefix + topic).partitions()) {
                    var tp =
                        new org.apache.kafka.common.TopicPartition(
                            prefix + topic, partition.partition());
                    long end =
                        admin
                            .listOffsets(
                                Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                            .partitionResult(tp)
                            .get()
                            .offset();
                    var done = committed.get(tp);
                    if (end > 0 && (done == null || done.offset() < end)) {
                      return false;
                    }
                  }
                }
                return true;
              });
    }
  }

  static void await(io.vertx.core.Future<?> future) {
    try {
      future.await(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (service != null) {
      stop();
    }
    gateway.close();
    custom.close();
    datapoints.close();
    await(vertx.close());
  }
}
