package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.ReplyAddress;
import dev.portico.contracts.RequestEvent;
import dev.portico.launcher.GatewayMetricsEndToEndTest.Metrics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Function metrics exact against the access log: a function behind five routes answers 200, 500,
 * garbage, or only after the route's timeout; a sixth route is throttled to one request a second.
 * Real requests go through the edge; the edge's access log (its {@code portico.access} lines) and
 * its request events say what happened to each; metrics-service's GetMetricStatistics in {@code
 * Portico/Functions} must report exactly those Invocations, Errors, Timeouts, Throttles,
 * LateReplies and Duration (count, sum, minimum, maximum), per {FunctionName, Stage} and per
 * {FunctionName}.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(240)
@Tag("integration")
class FunctionMetricsEndToEndTest {
  static final String TOKEN = GatewayMetricsEndToEndTest.TOKEN;
  static final String API = "fnmetered";
  static final String STAGE = "fm-live";
  static final String NAMESPACE = "Portico/Functions";
  static final long LATE_BY_MS = 1_500;

  static String document(String topic) {
    String route = "x-portico-integration: {type: kafka, topic: '" + topic + "', timeoutMs: 500}";
    StringBuilder doc = new StringBuilder("openapi: 3.0.3\ninfo: {title: fnmetered}\npaths:\n");
    for (String path : List.of("/ok", "/fail", "/garbage", "/slow", "/limited")) {
      doc.append("  ").append(path).append(":\n    get:\n      ").append(route).append('\n');
    }
    return doc.toString();
  }

  @Test
  void shouldReportExactlyWhatTheAccessLogRecords(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String prefix = kafka.freshPrefix();
    String topic = prefix + "fn.metered";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    Logger accessLogger = (Logger) LoggerFactory.getLogger("portico.access");
    Level level = accessLogger.getLevel();
    ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
    accessLog.start();
    accessLogger.addAppender(accessLog);
    accessLogger.setLevel(Level.INFO);
    try (KafkaResponder function =
            new KafkaResponder(
                kafka.bootstrapServers(),
                List.of(topic),
                "function-metrics-responder",
                FunctionMetricsEndToEndTest::answerByPath);
        Suite suite =
            new Suite(kafka.bootstrapServers(), prefix, dir.resolve("customers"), 10_000)
                .with("PORTICO_EDGE_ADMIN_TOKEN", TOKEN)
                .startEdge();
        Metrics metrics = new Metrics(suite, dir.resolve("metrics"));
        KafkaConsumer<String, RequestEvent> events =
            GatewayMetricsEndToEndTest.accessLog(kafka.bootstrapServers(), prefix)) {
      GatewayMetricsEndToEndTest.admin(suite, "PUT", "/apis/" + API, document(topic), 200);
      GatewayMetricsEndToEndTest.admin(
          suite, "POST", "/apis/" + API + "/deployments", "{\"stage\":\"" + STAGE + "\"}", 201);
      GatewayMetricsEndToEndTest.admin(
          suite,
          "PUT",
          "/stages/" + STAGE + "/settings",
          "{\"methodSettings\":{\"GET /limited\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}}}}",
          200);

      Map<String, Integer> expected =
          Map.of("/ok", 200, "/fail", 500, "/garbage", 502, "/slow", 504);
      int sent = 0;
      for (int i = 0; i < 12; i++) {
        assertEquals(200, Http.get(suite.url("/" + STAGE + "/ok")).statusCode());
        sent++;
        if (i < 5) {
          assertEquals(500, Http.get(suite.url("/" + STAGE + "/fail")).statusCode());
          assertEquals(502, Http.get(suite.url("/" + STAGE + "/garbage")).statusCode());
          sent += 2;
        }
        if (i < 3) {
          assertEquals(504, Http.get(suite.url("/" + STAGE + "/slow")).statusCode());
          sent++;
        }
      }
      // Back to back, so the 1/s bucket (burst 1) refuses some: how many depends on the machine's
      // pace, so the access log says which.
      for (int i = 0; i < 10; i++) {
        int status = Http.get(suite.url("/" + STAGE + "/limited")).statusCode();
        assertTrue(status == 200 || status == 429, "limited: " + status);
        sent++;
      }
      int requests = sent;

      // The request events and the late replies, then the access-log lines (written before the
      // event is published).
      List<RequestEvent> all = new ArrayList<>();
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () -> {
                events.poll(Duration.ofMillis(200)).forEach(r -> all.add(r.value()));
                return all.stream().filter(e -> API.equals(e.api())).count() >= requests + 3;
              });
      List<RequestEvent> requestEvents =
          all.stream().filter(e -> API.equals(e.api()) && e.eventType() == null).toList();
      List<RequestEvent> lateReplies =
          all.stream().filter(e -> RequestEvent.LATE_REPLY.equals(e.eventType())).toList();
      assertEquals(requests, requestEvents.size());
      assertEquals(3, lateReplies.size(), "one per timed-out request");
      List<Map<String, Object>> lines = new ArrayList<>();
      for (ILoggingEvent line : accessLog.list) {
        Map<String, Object> fields = new HashMap<>();
        line.getKeyValuePairs().forEach(kv -> fields.put(kv.key, kv.value));
        if (API.equals(fields.get("api"))) {
          lines.add(fields);
        }
      }
      assertEquals(requests, lines.size(), "one access-log line per request");

      // What the access log says, checked against what the test did.
      long invocations = count(lines, f -> !"THROTTLED".equals(f.get("functionOutcome")));
      long errors = count(lines, f -> isIn(f, "ERROR", "MALFORMED"));
      long timeouts = count(lines, f -> isIn(f, "TIMEOUT"));
      long throttles = count(lines, f -> isIn(f, "THROTTLED"));
      assertTrue(lines.stream().allMatch(f -> topic.equals(f.get("function"))), "every line");
      assertEquals(10, errors, "5 answered 500, 5 garbage");
      assertEquals(3, timeouts);
      assertTrue(throttles >= 1, "10 back-to-back requests through a 1/s bucket: " + throttles);
      assertEquals(requests - throttles, invocations);
      for (Map<String, Object> f : lines) {
        String path = ((String) f.get("path")).substring(STAGE.length() + 1);
        int status = ((Number) f.get("status")).intValue();
        if (expected.containsKey(path)) {
          assertEquals(expected.get(path), status, path);
        }
        assertEquals(
            status == 429 ? "THROTTLED" : status == 504 ? "TIMEOUT" : null,
            isIn(f, "THROTTLED", "TIMEOUT") ? f.get("functionOutcome") : null,
            path + " " + status);
      }
      List<Double> durations = new ArrayList<>();
      lines.stream()
          .filter(f -> f.get("functionDurationMs") != null)
          .forEach(f -> durations.add(((Number) f.get("functionDurationMs")).doubleValue()));
      assertEquals(invocations - timeouts, durations.size(), "every answered invocation");
      // The events carry the same outcomes, and the unrounded durations the metrics aggregate.
      List<Double> exactDurations =
          requestEvents.stream()
              .filter(e -> e.functionDurationMs() != null)
              .map(RequestEvent::functionDurationMs)
              .sorted()
              .toList();
      assertEquals(durations.size(), exactDurations.size());
      for (int i = 0; i < exactDurations.size(); i++) {
        assertEquals(
            durations.stream().sorted().toList().get(i), exactDurations.get(i), 0.001, "rounding");
      }
      assertEquals(
          throttles,
          requestEvents.stream()
              .filter(e -> RequestEvent.Outcome.THROTTLED.equals(e.functionOutcome()))
              .count());

      // metrics-service, once each series' last second is final.
      long first = all.stream().mapToLong(RequestEvent::time).min().orElseThrow();
      long last = all.stream().mapToLong(RequestEvent::time).max().orElseThrow();
      long start = first - first % 1000;
      long end = last - last % 1000 + 1000;
      // One 30 s bucket of the 1-second data holds every Duration sample.
      assertTrue(end - start <= 30_000, "the traffic took " + (end - start) + " ms");
      String byFunction = "&dimension=FunctionName=" + topic;
      String staged = byFunction + "&dimension=Stage=" + STAGE;
      long lastInvocation =
          requestEvents.stream()
              .filter(e -> !RequestEvent.Outcome.THROTTLED.equals(e.functionOutcome()))
              .mapToLong(RequestEvent::time)
              .max()
              .orElseThrow();
      long lastThrottle =
          requestEvents.stream()
              .filter(e -> RequestEvent.Outcome.THROTTLED.equals(e.functionOutcome()))
              .mapToLong(RequestEvent::time)
              .max()
              .orElseThrow();
      long lastLate = lateReplies.stream().mapToLong(RequestEvent::time).max().orElseThrow();
      for (String dimensions : List.of(byFunction, staged)) {
        awaitFinal(metrics, "Invocations", dimensions, start, end, lastInvocation);
        awaitFinal(metrics, "Throttles", dimensions, start, end, lastThrottle);
        awaitFinal(metrics, "LateReplies", dimensions, start, end, lastLate);
      }
      for (String dimensions : List.of(byFunction, staged)) {
        assertEquals(invocations, sum(metrics, "Invocations", dimensions, start, end));
        assertEquals(errors, sum(metrics, "Errors", dimensions, start, end), dimensions);
        assertEquals(timeouts, sum(metrics, "Timeouts", dimensions, start, end), dimensions);
        assertEquals(throttles, sum(metrics, "Throttles", dimensions, start, end), dimensions);
        assertEquals(3, sum(metrics, "LateReplies", dimensions, start, end), dimensions);
        JsonNode duration =
            metrics
                .statistics(
                    NAMESPACE,
                    "Duration",
                    dimensions,
                    start,
                    start + 30_000,
                    30,
                    "SampleCount,Sum,Minimum,Maximum")
                .get(0);
        assertEquals(exactDurations.size(), duration.get("SampleCount").asDouble(), dimensions);
        assertEquals(exactDurations.get(0), duration.get("Minimum").asDouble(), dimensions);
        assertEquals(
            exactDurations.get(exactDurations.size() - 1),
            duration.get("Maximum").asDouble(),
            dimensions);
        double exactSum = exactDurations.stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(exactSum, duration.get("Sum").asDouble(), 1e-9 * exactSum, dimensions);
        assertEquals("Milliseconds", duration.get("Unit").asText());
      }
    } finally {
      accessLogger.detachAppender(accessLog);
      accessLogger.setLevel(level);
    }
  }

  static boolean isIn(Map<String, Object> fields, String... outcomes) {
    return List.of(outcomes).contains(fields.get("functionOutcome"));
  }

  static long count(List<Map<String, Object>> lines, Predicate<Map<String, Object>> which) {
    return lines.stream().filter(which).count();
  }

  static double sum(Metrics metrics, String metric, String dimensions, long start, long end)
      throws Exception {
    double sum = 0;
    for (JsonNode p : metrics.statistics(NAMESPACE, metric, dimensions, start, end, 1, "Sum")) {
      sum += p.get("Sum").asDouble();
      assertEquals("Count", p.get("Unit").asText(), metric);
    }
    return sum;
  }

  /** Waits until the second of {@code lastTime} is served: every period up to it is final. */
  static void awaitFinal(
      Metrics metrics, String metric, String dimensions, long start, long end, long lastTime) {
    Awaitility.await()
        .atMost(90, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                GatewayMetricsEndToEndTest.lastTimestamp(
                        metrics.statistics(NAMESPACE, metric, dimensions, start, end, 1, "Sum"))
                    == lastTime - lastTime % 1000);
  }

  /**
   * The function on plain Kafka clients, answering by path: {@code /fail} 500, {@code /garbage}
   * bytes that are no response event, {@code /slow} a 200 only {@link #LATE_BY_MS} after the
   * request (the route's timeout is 500 ms), anything else 200.
   */
  static void answerByPath(ReplyAddress address, JsonNode event, KafkaResponder function) {
    String path = event.get("rawPath").asText();
    if (path.endsWith("/garbage")) {
      function.send(
          new ProducerRecord<>(
              address.topic(),
              address.partition(),
              address.correlationId(),
              "not a response event".getBytes(StandardCharsets.UTF_8),
              address.replyHeaders()));
    } else if (path.endsWith("/slow")) {
      function.sendAfter(LATE_BY_MS, address.reply(FunctionResponse.json(200, "{}", Map.of())));
    } else {
      int status = path.endsWith("/fail") ? 500 : 200;
      function.send(address.reply(FunctionResponse.json(status, "{}", Map.of())));
    }
  }
}
