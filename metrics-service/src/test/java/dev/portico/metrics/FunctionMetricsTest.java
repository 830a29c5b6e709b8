package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.RequestEvent.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The function pipeline: request events naming a function become {@code Portico/Functions} metrics
 * under {FunctionName, Stage} and {FunctionName}, whichever API (input partition) they came from;
 * late replies count only there; requests without a function count nowhere in it.
 */
class FunctionMetricsTest {
  static final Instant MINUTE = Instant.parse("2026-03-02T10:00:00Z");
  static final long T0 = MINUTE.toEpochMilli();

  final TopologyHarness harness =
      new TopologyHarness(MINUTE, Duration.ofSeconds(5), Duration.ofSeconds(60));

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void shouldCountEachOutcomePerFunctionAndStageAcrossApis() {
    // "orders" is served by two APIs (two input keys) and two stages.
    send("shop", "prod", "orders", Outcome.OK, 10.0);
    send("shop", "prod", "orders", Outcome.OK, 30.0);
    send("admin", "prod", "orders", Outcome.ERROR, 20.0);
    send("shop", "prod", "orders", Outcome.MALFORMED, 5.0);
    send("shop", "prod", "orders", Outcome.TIMEOUT, null);
    send("shop", "prod", "orders", Outcome.THROTTLED, null);
    send("shop", "beta", "orders", Outcome.ACCEPTED, null);
    harness.sendGateway(RequestEvent.lateReply("r", T0 + 2_000, "shop", "prod", "orders"));
    send("shop", "prod", null, null, null); // a mock route: no function
    harness.advance(Duration.ofMinutes(2));

    List<MetricDatapoint> emitted = harness.emitted();
    Map<String, MetricDatapoint> points = new HashMap<>();
    for (MetricDatapoint p : emitted) {
      if (p.namespace().equals("Portico/Functions") && p.period() == 60) {
        points.put(p.metricName() + " " + p.dimensions(), p);
      }
    }
    String prod = " {FunctionName=orders, Stage=prod}";
    String beta = " {FunctionName=orders, Stage=beta}";
    String all = " {FunctionName=orders}";
    assertEquals(5, points.get("Invocations" + prod).sum());
    assertEquals(2, points.get("Errors" + prod).sum(), "a 5xx and a malformed reply");
    assertEquals(5, points.get("Errors" + prod).sampleCount(), "0 or 1 per invocation");
    assertEquals(1, points.get("Timeouts" + prod).sum());
    assertEquals(1, points.get("Throttles" + prod).sum());
    assertEquals(1, points.get("LateReplies" + prod).sum());
    MetricDatapoint duration = points.get("Duration" + prod);
    assertEquals(4, duration.sampleCount(), "the answered invocations only");
    assertEquals(65, duration.sum());
    assertEquals(5, duration.minimum());
    assertEquals(30, duration.maximum());
    assertEquals("Milliseconds", duration.unit());
    assertEquals(1, points.get("Invocations" + beta).sum());
    assertNull(points.get("Duration" + beta), "an async invocation has no reply to time");
    assertEquals(6, points.get("Invocations" + all).sum());
    assertEquals(2, points.get("Errors" + all).sum());
    assertEquals(1, points.get("LateReplies" + all).sum());
    assertEquals(4, points.get("Duration" + all).sampleCount());
    assertEquals(
        Map.of(
            "Invocations",
            3,
            "Errors",
            3,
            "Timeouts",
            3,
            "Throttles",
            2,
            "LateReplies",
            2,
            "Duration",
            2),
        countByName(points),
        "the metrics of {FunctionName, Stage=prod}, {.., Stage=beta} and {FunctionName}: "
            + points.keySet());

    // The late reply is no request: the gateway's Count has shop's 7 requests, and it is not
    // skipped as invalid either.
    MetricDatapoint shopCount =
        emitted.stream()
            .filter(
                p ->
                    p.metricName().equals("Count")
                        && p.period() == 60
                        && p.dimensions().equals(Map.of("ApiName", "shop")))
            .findFirst()
            .orElseThrow();
    assertEquals(7, shopCount.sum());
    assertEquals(
        0, harness.counter("portico.metrics.events.invalid", "source", "gateway"), "late reply");
    assertEquals(8, harness.counter("portico.metrics.events.ingested", "source", "function"));
  }

  @Test
  void shouldCountAnAuthorizerCallUnderItsOwnFunctionAndInNoGatewayMetric() {
    harness.sendGateway(
        RequestEvent.authorizerCall("r1", T0 + 1_000, "shop", "prod", "auth", Outcome.OK, 4.0));
    harness.sendGateway(
        RequestEvent.authorizerCall("r2", T0 + 1_000, "shop", "prod", "auth", Outcome.ERROR, 6.0));
    harness.sendGateway(
        RequestEvent.authorizerCall(
            "r3", T0 + 1_000, "shop", "prod", "auth", Outcome.TIMEOUT, null));
    send("shop", "prod", "orders", Outcome.OK, 10.0); // the request the authorizer allowed
    harness.advance(Duration.ofMinutes(2));

    Map<String, MetricDatapoint> points = new HashMap<>();
    for (MetricDatapoint p : harness.emitted()) {
      if (p.period() == 60) {
        points.put(p.namespace() + " " + p.metricName() + " " + p.dimensions(), p);
      }
    }
    String auth = " {FunctionName=auth, Stage=prod}";
    assertEquals(3, points.get("Portico/Functions Invocations" + auth).sum());
    assertEquals(1, points.get("Portico/Functions Errors" + auth).sum());
    assertEquals(1, points.get("Portico/Functions Timeouts" + auth).sum());
    assertEquals(2, points.get("Portico/Functions Duration" + auth).sampleCount());
    assertEquals(10, points.get("Portico/Functions Duration" + auth).sum());
    assertEquals(
        1, points.get("Portico/Functions Invocations {FunctionName=orders, Stage=prod}").sum());
    assertEquals(1, points.get("Portico/Gateway Count {ApiName=shop}").sum(), "the request, once");
    assertNull(points.get("Portico/Gateway MessageCount {ApiName=shop}"), "not a WebSocket event");
    assertEquals(0, harness.counter("portico.metrics.events.invalid", "source", "gateway"));
  }

  static Map<String, Integer> countByName(Map<String, MetricDatapoint> points) {
    Map<String, Integer> counts = new HashMap<>();
    points.values().forEach(p -> counts.merge(p.metricName(), 1, Integer::sum));
    return counts;
  }

  void send(String api, String stage, String function, String outcome, Double durationMs) {
    harness.sendGateway(
        new RequestEvent(
            UUID.randomUUID().toString(),
            T0 + 1_000,
            api,
            stage,
            "d1",
            false,
            "POST /orders",
            "POST",
            "/orders",
            "/orders",
            Outcome.ERROR.equals(outcome) ? 500 : 200,
            12,
            durationMs == null ? 0 : durationMs,
            function == null ? "mock" : "kafka",
            function == null ? "mock" : function,
            10,
            null,
            "127.0.0.1",
            "test",
            null,
            null,
            null,
            null,
            function,
            outcome,
            durationMs));
  }
}
