package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.Topics;
import dev.portico.metrics.MetricsConfig;
import dev.portico.metrics.MetricsService;
import dev.portico.runtime.ConfigReader;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTP traffic through the edge's data plane becomes gateway datapoints: an API with {@code
 * mock} routes answering 200, 503 and 404 is imported and deployed through the admin API, requests
 * go through the edge, the edge publishes its access-log events, metrics-service aggregates them,
 * and GetMetricStatistics answers Count, 5XXError, 4XXError and Latency in {@code Portico/Gateway}
 * for the three dimension sets, compared with the exact values of the edge's own request events.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(240)
@Tag("integration")
class GatewayMetricsEndToEndTest {
  static final String TOKEN = "gateway-metrics-test-token";
  static final String API = "metered";
  static final String STAGE = "metered-live";
  static final String DOCUMENT =
      """
      openapi: 3.0.3
      info: {title: metered}
      paths:
        /ok:
          get:
            x-portico-integration: {type: mock, statusCode: 200, body: '{"ok":true}'}
        /broken:
          get:
            x-portico-integration: {type: mock, statusCode: 503, body: '{"message":"down"}'}
        /items/{id}:
          get:
            x-portico-integration: {type: mock, statusCode: 404, body: '{"message":"no item"}'}
      """;
  static final int OK = 40;
  static final int BROKEN = 12;
  static final int MISSING = 8;

  @Test
  void shouldTurnRequestsThroughTheEdgeIntoGatewayDatapoints(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String prefix = kafka.freshPrefix();
    try (Suite suite =
            new Suite(kafka.bootstrapServers(), prefix, dir.resolve("customers"), 10_000)
                .with("PORTICO_EDGE_ADMIN_TOKEN", TOKEN)
                .startEdge();
        Metrics metrics = new Metrics(suite, dir.resolve("metrics"));
        KafkaConsumer<String, RequestEvent> accessLog =
            accessLog(kafka.bootstrapServers(), prefix)) {
      admin(suite, "PUT", "/apis/" + API, DOCUMENT, 200);
      admin(suite, "POST", "/apis/" + API + "/deployments", "{\"stage\":\"" + STAGE + "\"}", 201);

      // Interleaved, so every route's requests spread over the same seconds.
      for (int i = 0; i < OK; i++) {
        assertEquals(200, Http.get(suite.url("/" + STAGE + "/ok")).statusCode());
        if (i < BROKEN) {
          assertEquals(503, Http.get(suite.url("/" + STAGE + "/broken")).statusCode());
        }
        if (i < MISSING) {
          assertEquals(404, Http.get(suite.url("/" + STAGE + "/items/n" + i)).statusCode());
        }
      }
      int sent = OK + BROKEN + MISSING;

      // The exact source: the access-log events the edge published for these requests.
      List<RequestEvent> events = new ArrayList<>();
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () -> {
                accessLog
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (API.equals(r.value().api())) {
                            events.add(r.value());
                          }
                        });
                return events.size() >= sent;
              });
      assertEquals(sent, events.size(), "one request event per request");
      long first = events.stream().mapToLong(RequestEvent::time).min().orElseThrow();
      long last = events.stream().mapToLong(RequestEvent::time).max().orElseThrow();
      long start = first - first % 1000;
      long end = last - last % 1000 + 1000;
      assertTrue(
          end - start <= 30_000,
          "the traffic took " + (end - start) + " ms; the latency checks need it within 30 s");

      String all = "&dimension=ApiName=" + API;
      String stage = all + "&dimension=Stage=" + STAGE;
      // Final once the last second's grace has passed: wait until the last second's datapoint is
      // served for every series checked below (Latency: a cell's metrics are written in name
      // order, Latency last).
      Map<String, Long> lastSecond = new HashMap<>();
      lastSecond.put(all, end - 1000);
      lastSecond.put(stage, end - 1000);
      for (String route : List.of("/ok", "/broken", "/items/{id}")) {
        long time =
            events.stream()
                .filter(e -> e.resource().equals(route))
                .mapToLong(RequestEvent::time)
                .max()
                .orElseThrow();
        lastSecond.put(routeDimensions(stage, route), time - time % 1000);
      }
      lastSecond.forEach(
          (dimensions, second) ->
              Awaitility.await()
                  .atMost(90, TimeUnit.SECONDS)
                  .pollInterval(Duration.ofMillis(200))
                  .until(
                      () ->
                          lastTimestamp(
                                  metrics.statistics("Latency", dimensions, start, end, 1, "Sum"))
                              == second));
      // Every statistic is read once final (no waiting until it happens to match): a final
      // period's datapoint never changes.
      for (String dimensions : List.of(all, stage)) {
        assertEquals(sent, sum(metrics, "Count", dimensions, start, end), dimensions);
        assertEquals(BROKEN, sum(metrics, "5XXError", dimensions, start, end), dimensions);
        assertEquals(MISSING, sum(metrics, "4XXError", dimensions, start, end), dimensions);
        assertEquals(
            sent,
            total(metrics.statistics("5XXError", dimensions, start, end, 1, "SampleCount")),
            "0 or 1 per request");
        assertLatency(metrics, dimensions, start, end, events);
      }
      for (String[] route :
          new String[][] {{"/ok", "200"}, {"/broken", "503"}, {"/items/{id}", "404"}}) {
        String dimensions = routeDimensions(stage, route[0]);
        List<RequestEvent> routeEvents =
            events.stream().filter(e -> e.resource().equals(route[0])).toList();
        int expected = routeEvents.size();
        assertEquals(
            route[0].equals("/ok") ? OK : route[0].equals("/broken") ? BROKEN : MISSING,
            expected,
            "the route template, never the raw path: " + route[0]);
        assertTrue(routeEvents.stream().allMatch(e -> e.status() == Integer.parseInt(route[1])));
        assertEquals(expected, sum(metrics, "Count", dimensions, start, end), dimensions);
        assertEquals(
            route[1].startsWith("5") ? expected : 0,
            sum(metrics, "5XXError", dimensions, start, end),
            dimensions);
        assertEquals(
            route[1].startsWith("4") ? expected : 0,
            sum(metrics, "4XXError", dimensions, start, end),
            dimensions);
        assertLatency(metrics, dimensions, start, end, routeEvents);
      }
      // A raw path is never a dimension value.
      assertEquals(
          0,
          metrics
              .statistics(
                  "Count",
                  stage + "&dimension=Method=GET&dimension=Resource=" + encode("/items/n1"),
                  start,
                  end,
                  1,
                  "Sum")
              .size());
    }
  }

  /**
   * Count, Minimum, Maximum and Sum are exact; p50 and p99 are within the sketch's documented 1% of
   * the exact percentile (rank floor(q * (n - 1)) of the sorted latencies).
   */
  static void assertLatency(
      Metrics metrics, String dimensions, long start, long end, List<RequestEvent> events)
      throws Exception {
    double[] sorted = events.stream().mapToDouble(RequestEvent::latencyMs).sorted().toArray();
    int n = sorted.length;
    // One 30 s bucket over the whole traffic, merged from its 1 s periods: the percentiles are
    // over every request.
    JsonNode point =
        metrics.statistics(
            "Latency",
            dimensions,
            start,
            start + 30_000,
            30,
            "SampleCount,Sum,Minimum,Maximum,p50,p99");
    String where = "Latency " + dimensions + ": " + point;
    assertEquals(1, point.size(), where);
    JsonNode datapoint = point.get(0);
    assertEquals(n, datapoint.get("SampleCount").asDouble(), where);
    assertEquals(sorted[0], datapoint.get("Minimum").asDouble(), where);
    assertEquals(sorted[n - 1], datapoint.get("Maximum").asDouble(), where);
    double exactSum = 0;
    for (double v : sorted) {
      exactSum += v;
    }
    assertEquals(exactSum, datapoint.get("Sum").asDouble(), 1e-9 * Math.max(1, exactSum), where);
    assertEquals("Milliseconds", datapoint.get("Unit").asText(), where);
    for (String[] q : new String[][] {{"p50", "0.5"}, {"p99", "0.99"}}) {
      double exact = sorted[(int) Math.floor(Double.parseDouble(q[1]) * (n - 1))];
      double served = datapoint.get("ExtendedStatistics").get(q[0]).asDouble();
      assertEquals(exact, served, exact * 0.01, q[0] + " of " + where);
    }
  }

  static double sum(Metrics metrics, String metric, String dimensions, long start, long end)
      throws Exception {
    JsonNode points = metrics.statistics(metric, dimensions, start, end, 1, "Sum");
    double sum = 0;
    for (JsonNode p : points) {
      sum += p.get("Sum").asDouble();
      assertEquals("Count", p.get("Unit").asText(), metric);
    }
    return sum;
  }

  static double total(JsonNode points) {
    double sum = 0;
    for (JsonNode p : points) {
      sum += p.get("SampleCount").asDouble();
    }
    return sum;
  }

  static String routeDimensions(String stage, String resource) {
    return stage + "&dimension=Method=GET&dimension=Resource=" + encode(resource);
  }

  static long lastTimestamp(JsonNode points) {
    if (points.isEmpty()) {
      return -1;
    }
    return Instant.parse(points.get(points.size() - 1).get("Timestamp").asText()).toEpochMilli();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static void admin(Suite suite, String method, String path, String body, int expected) {
    HttpResponse<String> response =
        Http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.edge.adminPort() + path))
                .header("authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
  }

  static KafkaConsumer<String, RequestEvent> accessLog(String bootstrap, String prefix) {
    KafkaConsumer<String, RequestEvent> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "access-log-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new JsonSerde<>(RequestEvent.class));
    consumer.subscribe(List.of(Topics.GATEWAY_REQUESTS.name(prefix)));
    return consumer;
  }

  /**
   * metrics-service on the suite's broker and prefix, keeping gateway metrics per second as well,
   * with fast close checks and commits. The 1 s tier keeps its default grace (5 s): a request event
   * that reaches metrics-service after its second's grace is dropped by design, and on a loaded
   * machine the edge-to-aggregation pipeline took more than the 1 s these tests once used (24 of 26
   * invocations counted).
   */
  static final class Metrics implements AutoCloseable {
    final MetricsService service;

    Metrics(Suite suite, Path stateDir) {
      Map<String, String> env = new HashMap<>(suite.env);
      env.put("PORTICO_METRICS_PORT", "0");
      env.put("PORTICO_METRICS_STATE_DIR", stateDir.toString());
      env.put("PORTICO_METRICS_GATEWAY_RESOLUTION", "1");
      env.put("PORTICO_METRICS_COMMIT_INTERVAL_MS", "50");
      env.put("PORTICO_METRICS_CLOSE_INTERVAL_MS", "50");
      service = new MetricsService(suite.vertx, MetricsConfig.read(new ConfigReader(env)));
      Suite.await(service.start());
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(service::isReady);
    }

    /** GetMetricStatistics in Portico/Gateway; returns its Datapoints. */
    JsonNode statistics(
        String metric, String dimensions, long start, long end, long period, String statistics)
        throws Exception {
      return statistics("Portico/Gateway", metric, dimensions, start, end, period, statistics);
    }

    /** GetMetricStatistics; returns its Datapoints. */
    JsonNode statistics(
        String namespace,
        String metric,
        String dimensions,
        long start,
        long end,
        long period,
        String statistics)
        throws Exception {
      String url =
          "http://127.0.0.1:"
              + service.httpPort()
              + "/metrics/statistics?namespace="
              + namespace
              + "&metricName="
              + metric
              + dimensions
              + "&startTime="
              + start
              + "&endTime="
              + end
              + "&period="
              + period
              + "&statistics="
              + statistics;
      HttpResponse<String> response = Http.get(url);
      assertEquals(200, response.statusCode(), url + ": " + response.body());
      return Json.MAPPER.readTree(response.body()).get("Datapoints");
    }

    @Override
    public void close() {
      Suite.await(service.stop());
    }
  }
}
