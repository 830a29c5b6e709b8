package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.Sketches;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Gateway request events through a running service into final datapoints. */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
@Tag("integration")
class GatewayMetricsTest {
  static final Duration PAST_GRACE = Duration.ofSeconds(60 + 5 + 1);

  static Instant minuteNow() {
    return Instant.ofEpochMilli(Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000);
  }

  /** Datapoints of one period, by "metric name + dimensions". */
  static Map<String, MetricDatapoint> byMetric(
      List<MetricDatapoint> points, int period, long start) {
    return points.stream()
        .filter(p -> p.period() == period && p.timestamp() == start)
        .collect(Collectors.toMap(p -> p.metricName() + " " + p.dimensions(), p -> p));
  }

  static String id(String metric, String... dimensions) {
    Map<String, String> map = new java.util.TreeMap<>();
    for (int i = 0; i < dimensions.length; i += 2) {
      map.put(dimensions[i], dimensions[i + 1]);
    }
    return metric + " " + map;
  }

  @Test
  void shouldTurnRequestsIntoCountLatencyAndErrorsForEachDimensionSet(TestKafka kafka)
      throws Exception {
    Instant t0 = minuteNow();
    MutableClock clock = new MutableClock(t0);
    Random random = new Random(7);
    List<RequestEvent> events = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      long time = t0.toEpochMilli() + i * 100L;
      double latency = Math.exp(2 + random.nextGaussian());
      if (i % 3 == 0) {
        events.add(Events.request(time, "shop", "prod", "GET", "/items/{id}", 200, latency));
      } else if (i % 3 == 1) {
        int status = i % 10 == 1 ? 503 : (i % 10 == 4 ? 404 : 201);
        events.add(Events.request(time, "shop", "prod", "POST", "/items", status, latency));
      } else {
        events.add(Events.request(time, "shop", "dev", "GET", "/items/{id}", 200, latency));
      }
    }
    try (var metrics =
        new RunningMetrics(
                kafka.bootstrapServers(),
                kafka.freshPrefix(),
                Files.createTempDirectory("gateway"),
                clock)
            .start()) {
      events.forEach(metrics::sendGateway);
      metrics.flush();
      metrics.awaitIngested("gateway", events.size());
      clock.advance(PAST_GRACE);
      long start = t0.toEpochMilli();
      var points =
          byMetric(
              metrics.awaitDatapoints(
                  all -> byMetric(all, 60, start).containsKey(id("Count", "ApiName", "shop"))),
              60,
              start);

      assertEquals(600, points.get(id("Count", "ApiName", "shop")).sum());
      assertEquals(400, points.get(id("Count", "ApiName", "shop", "Stage", "prod")).sum());
      assertEquals(200, points.get(id("Count", "ApiName", "shop", "Stage", "dev")).sum());
      String post = "ApiName shop Method POST Resource /items Stage prod";
      String[] postDimensions = post.split(" ");
      assertEquals(200, points.get(id("Count", postDimensions)).sum());

      long fiveHundreds = events.stream().filter(e -> e.status() >= 500).count();
      long fourHundreds = events.stream().filter(e -> e.status() / 100 == 4).count();
      MetricDatapoint errors = points.get(id("5XXError", postDimensions));
      assertEquals(fiveHundreds, errors.sum());
      assertEquals(200, errors.sampleCount(), "0 or 1 per request: Average is the error rate");
      assertEquals(fourHundreds, points.get(id("4XXError", "ApiName", "shop")).sum());
      assertEquals(0, points.get(id("5XXError", "ApiName", "shop", "Stage", "dev")).sum());

      MetricDatapoint latency = points.get(id("Latency", "ApiName", "shop"));
      double[] sorted = events.stream().mapToDouble(RequestEvent::latencyMs).sorted().toArray();
      assertEquals(600, latency.sampleCount());
      assertEquals(sorted[0], latency.minimum());
      assertEquals(sorted[599], latency.maximum());
      assertEquals(Arrays.stream(sorted).sum(), latency.sum(), 1e-6);
      assertEquals("Milliseconds", latency.unit());
      var sketch = Sketches.decode(Base64.getDecoder().decode(latency.sketch()));
      for (double q : new double[] {0.5, 0.9, 0.99}) {
        double exact = sorted[(int) Math.floor(q * 599)];
        assertEquals(exact, sketch.getValueAtQuantile(q), exact * Sketches.RELATIVE_ACCURACY);
      }
      assertTrue(points.containsKey(id("IntegrationLatency", "ApiName", "shop")));
      assertFalse(
          points.containsKey(id("CacheHitCount", "ApiName", "shop")), "no cache on these routes");
      // 7 metrics minus the two cache ones, for 1 + 2 + 3 cells.
      assertEquals(5 * 6, points.size(), points.keySet().toString());

      var query =
          RunningMetrics.json(
              metrics.get(
                  "/metrics/statistics?namespace=Portico/Gateway&metricName=Latency"
                      + "&dimension=ApiName=shop&dimension=Stage=prod&period=60"
                      + "&statistics=SampleCount,p99&startTime="
                      + t0
                      + "&endTime="
                      + t0.plusSeconds(60)));
      assertEquals(400, query.get("Datapoints").get(0).get("SampleCount").asDouble());
      assertTrue(query.get("Datapoints").get(0).get("ExtendedStatistics").has("p99"));
    }
  }

  @Test
  void shouldTurnWebSocketEventsIntoConnectMessageAndErrorMetricsApartFromHttp(TestKafka kafka)
      throws Exception {
    Instant t0 = minuteNow();
    MutableClock clock = new MutableClock(t0);
    long start = t0.toEpochMilli();
    String connect = RequestEvent.CONNECT;
    String message = RequestEvent.MESSAGE;
    List<RequestEvent> events = new ArrayList<>();
    // HTTP requests of the same API: 12, of which 3 are 404s and 2 are 503s.
    for (int i = 0; i < 12; i++) {
      int status = i < 3 ? 404 : i < 5 ? 503 : 200;
      events.add(Events.request(start + i, "shop", "prod", "GET", "/items", status, 10 + i));
    }
    // Connects to prod: 4 accepted, 2 refused by the authorizer (403, ClientError), 1 refused
    // with a 401 and no error type (still a ClientError), 1 failed $connect integration (500).
    for (int i = 0; i < 4; i++) {
      events.add(Events.webSocket(start + 100 + i, "shop", "prod", connect, "$connect", 101, null));
    }
    events.add(
        Events.webSocket(start + 110, "shop", "prod", connect, "$connect", 403, "ClientError"));
    events.add(
        Events.webSocket(start + 111, "shop", "prod", connect, "$connect", 403, "ClientError"));
    events.add(Events.webSocket(start + 112, "shop", "prod", connect, "$connect", 401, null));
    events.add(
        Events.webSocket(start + 113, "shop", "prod", connect, "$connect", 500, "ExecutionError"));
    // Messages to prod: 10 on sendmessage (2 IntegrationError, 1 ExecutionError), 5 on $default
    // (1 IntegrationError), 3 no route took (ClientError, no Route dimension).
    for (int i = 0; i < 10; i++) {
      String error = i < 2 ? "IntegrationError" : i == 2 ? "ExecutionError" : null;
      events.add(
          Events.webSocket(start + 200 + i, "shop", "prod", message, "sendmessage", 200, error));
    }
    for (int i = 0; i < 5; i++) {
      String error = i == 0 ? "IntegrationError" : null;
      events.add(
          Events.webSocket(start + 300 + i, "shop", "prod", message, "$default", 200, error));
    }
    for (int i = 0; i < 3; i++) {
      events.add(
          Events.webSocket(start + 400 + i, "shop", "prod", message, null, 200, "ClientError"));
    }
    // 2 messages to dev, and 4 disconnects, which count nowhere.
    for (int i = 0; i < 2; i++) {
      events.add(
          Events.webSocket(start + 500 + i, "shop", "dev", message, "sendmessage", 200, null));
    }
    for (int i = 0; i < 4; i++) {
      events.add(
          Events.webSocket(
              start + 600 + i, "shop", "prod", RequestEvent.DISCONNECT, "$disconnect", 1000, null));
    }
    try (var metrics =
        new RunningMetrics(
                kafka.bootstrapServers(),
                kafka.freshPrefix(),
                Files.createTempDirectory("websocket"),
                clock)
            .start()) {
      events.forEach(metrics::sendGateway);
      metrics.flush();
      metrics.awaitIngested("gateway", events.size());
      clock.advance(PAST_GRACE);
      // HTTP: 5 metrics in 3 cells. WebSocket: 4 in each of the 4 route cells, 5 in {shop, prod},
      // 4 in {shop, dev} (no connects), 5 in {shop}.
      int expected = 15 + 4 * 4 + 5 + 4 + 5;
      var points =
          byMetric(
              metrics.awaitDatapoints(all -> byMetric(all, 60, start).size() >= expected),
              60,
              start);
      assertEquals(expected, points.size(), points.keySet().toString());
      assertEquals(
          0, metrics.counter("portico_metrics_events_invalid_total", "source=\"gateway\""));

      String[] api = {"ApiName", "shop"};
      String[] prod = {"ApiName", "shop", "Stage", "prod"};
      String[] dev = {"ApiName", "shop", "Stage", "dev"};
      String[] connectRoute = {"ApiName", "shop", "Stage", "prod", "Route", "$connect"};
      String[] send = {"ApiName", "shop", "Stage", "prod", "Route", "sendmessage"};
      String[] fallback = {"ApiName", "shop", "Stage", "prod", "Route", "$default"};
      String[] devSend = {"ApiName", "shop", "Stage", "dev", "Route", "sendmessage"};

      // WebSocket events are not HTTP requests.
      for (String[] cell : List.of(api, prod)) {
        assertSumAndCount(points, "Count", cell, 12, 12);
        assertEquals(12, points.get(id("Latency", cell)).sampleCount());
        assertSumAndCount(points, "4XXError", cell, 3, 12);
        assertSumAndCount(points, "5XXError", cell, 2, 12);
      }
      assertFalse(points.containsKey(id("Count", dev)));

      // Route cells.
      assertSumAndCount(points, "ConnectCount", connectRoute, 4, 4);
      assertSumAndCount(points, "ClientError", connectRoute, 3, 8);
      assertSumAndCount(points, "ExecutionError", connectRoute, 1, 8);
      assertSumAndCount(points, "IntegrationError", connectRoute, 0, 8);
      assertFalse(points.containsKey(id("MessageCount", connectRoute)));
      assertSumAndCount(points, "MessageCount", send, 10, 10);
      assertSumAndCount(points, "IntegrationError", send, 2, 10);
      assertSumAndCount(points, "ExecutionError", send, 1, 10);
      assertSumAndCount(points, "ClientError", send, 0, 10);
      assertSumAndCount(points, "MessageCount", fallback, 5, 5);
      assertSumAndCount(points, "IntegrationError", fallback, 1, 5);
      assertSumAndCount(points, "MessageCount", devSend, 2, 2);
      assertEquals(1.0, points.get(id("MessageCount", send)).maximum());

      // {ApiName, Stage}: the route cells plus the 3 messages without a route, each once.
      assertSumAndCount(points, "ConnectCount", prod, 4, 4);
      assertSumAndCount(points, "MessageCount", prod, 18, 18);
      assertSumAndCount(points, "ClientError", prod, 3 + 3, 8 + 18);
      assertSumAndCount(points, "IntegrationError", prod, 3, 26);
      assertSumAndCount(points, "ExecutionError", prod, 2, 26);
      assertSumAndCount(points, "MessageCount", dev, 2, 2);
      assertSumAndCount(points, "ClientError", dev, 0, 2);
      assertFalse(points.containsKey(id("ConnectCount", dev)));

      // {ApiName}: both stages.
      assertSumAndCount(points, "ConnectCount", api, 4, 4);
      assertSumAndCount(points, "MessageCount", api, 20, 20);
      assertSumAndCount(points, "ClientError", api, 6, 28);
      assertSumAndCount(points, "IntegrationError", api, 3, 28);
      assertSumAndCount(points, "ExecutionError", api, 2, 28);
      assertEquals(0.0, points.get(id("ClientError", api)).minimum());
      assertEquals("Count", points.get(id("ClientError", api)).unit());

      assertTrue(
          points.values().stream()
              .noneMatch(p -> "$disconnect".equals(p.dimensions().get("Route"))),
          "a disconnect counts nowhere");

      var query =
          RunningMetrics.json(
              metrics.get(
                  "/metrics/statistics?namespace=Portico/Gateway&metricName=MessageCount"
                      + "&dimension=ApiName=shop&dimension=Stage=prod&dimension=Route=sendmessage"
                      + "&period=60&statistics=Sum&startTime="
                      + t0
                      + "&endTime="
                      + t0.plusSeconds(60)));
      assertEquals(10, query.get("Datapoints").get(0).get("Sum").asDouble());
    }
  }

  private static void assertSumAndCount(
      Map<String, MetricDatapoint> points,
      String metric,
      String[] dimensions,
      double sum,
      double sampleCount) {
    MetricDatapoint point = points.get(id(metric, dimensions));
    String name = id(metric, dimensions);
    assertTrue(point != null, name + " missing in " + points.keySet());
    assertEquals(sum, point.sum(), name + " Sum");
    assertEquals(sampleCount, point.sampleCount(), name + " SampleCount");
  }

  @Test
  void shouldNeitherLoseNorDoubleCountAcrossARestartOnFreshState(TestKafka kafka) throws Exception {
    Instant t0 = minuteNow();
    MutableClock clock = new MutableClock(t0);
    String prefix = kafka.freshPrefix();
    long minute0 = t0.toEpochMilli();
    long minute1 = minute0 + 60_000;
    Map<Long, List<Double>> latencies = new HashMap<>();
    try (var first =
        new RunningMetrics(
                kafka.bootstrapServers(), prefix, Files.createTempDirectory("first"), clock)
            .start()) {
      // Minute 0 is complete and final before the restart.
      for (int i = 0; i < 300; i++) {
        send(first, minute0 + i * 100L, i, latencies);
      }
      first.flush();
      first.awaitIngested("gateway", 300);
      clock.advance(PAST_GRACE);
      first.awaitDatapoints(
          all -> byMetric(all, 60, minute0).containsKey(id("Count", "ApiName", "shop")));
      // Minute 1 is half sent when the service stops; the rest arrives while it is down.
      for (int i = 0; i < 500; i++) {
        send(first, minute1 + i * 100L, i, latencies);
        if (i == 250) {
          // Stop while records are still being processed: at least 100 of minute 1 are in.
          first.flush();
          first.awaitIngested("gateway", 300 + 100);
          first.stop();
        }
      }
      first.flush();
    }
    // A replica with no local state at all: everything comes back from the changelogs.
    try (var second =
        new RunningMetrics(
                kafka.bootstrapServers(), prefix, Files.createTempDirectory("second"), clock)
            .start()) {
      second.awaitCaughtUp("gateway.requests");
      clock.advance(Duration.ofMinutes(5));
      // Minute 1 and its 5-minute period, for all 5 metrics of the 3 cells. (Minute 0's
      // 5-minute period may have closed before the restart already.)
      long fiveOfMinute1 = Math.floorDiv(minute1, 300_000) * 300_000;
      List<MetricDatapoint> all =
          second.awaitDatapoints(
              points ->
                  byMetric(points, 60, minute1).size() == 15
                      && byMetric(points, 300, fiveOfMinute1).size() == 15);
      Map<String, Long> copies =
          all.stream()
              .collect(
                  Collectors.groupingBy(
                      p -> p.metricName() + p.dimensions() + p.period() + "@" + p.timestamp(),
                      Collectors.counting()));
      assertTrue(
          copies.values().stream().allMatch(n -> n == 1),
          "every period once: "
              + copies.entrySet().stream().filter(e -> e.getValue() > 1).toList());
      for (long minute : List.of(minute0, minute1)) {
        MetricDatapoint latency = byMetric(all, 60, minute).get(id("Latency", "ApiName", "shop"));
        List<Double> expected = latencies.get(minute);
        assertTrue(latency != null, minute + " missing in " + all);
        assertEquals(expected.size(), latency.sampleCount());
        assertEquals(expected.stream().mapToDouble(d -> d).sum(), latency.sum(), 1e-6);
        assertEquals(expected.stream().mapToDouble(d -> d).min().orElseThrow(), latency.minimum());
        assertEquals(expected.stream().mapToDouble(d -> d).max().orElseThrow(), latency.maximum());
      }
      double fiveMinuteCount =
          all.stream()
              .filter(
                  p ->
                      p.period() == 300
                          && p.metricName().equals("Count")
                          && p.dimensions().size() == 1)
              .mapToDouble(MetricDatapoint::sum)
              .sum();
      assertEquals(800, fiveMinuteCount);
    }
  }

  private static void send(
      RunningMetrics metrics, long time, int i, Map<Long, List<Double>> latencies) {
    double latency = 1 + (i * 37 % 200);
    latencies
        .computeIfAbsent(Math.floorDiv(time, 60_000) * 60_000, m -> new ArrayList<>())
        .add(latency);
    metrics.sendGateway(Events.request(time, "shop", "prod", "GET", "/items", 200, latency));
  }
}
