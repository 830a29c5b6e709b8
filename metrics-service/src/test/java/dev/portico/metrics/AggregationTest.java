package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.Sketches;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AggregationTest {
  static final Instant MINUTE = Instant.parse("2026-03-02T10:00:00Z");
  static final long T0 = MINUTE.toEpochMilli();
  static final Duration GRACE = Duration.ofSeconds(60);
  static final Duration HIGH_RES_GRACE = Duration.ofSeconds(5);

  final TopologyHarness harness = new TopologyHarness(MINUTE, HIGH_RES_GRACE, GRACE);

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void anIdleAggregatorShouldWriteNothing() {
    // Two hours of close checks with no input: no datapoint, no changelog record, no transaction.
    for (int i = 0; i < 120; i++) {
      harness.advance(Duration.ofMinutes(1));
    }
    assertEquals(Set.of(), harness.driver.producedTopicNames());
  }

  static List<MetricDatapoint> period(List<MetricDatapoint> points, int period) {
    return points.stream().filter(p -> p.period() == period).toList();
  }

  @Test
  void shouldComputeCountSumMinMaxExactlyAndPercentilesWithinOnePercent() {
    Random random = new Random(42);
    double[] values = new double[5000];
    for (int i = 0; i < values.length; i++) {
      // Latency-like: log-normal around 20 ms, with a long tail.
      values[i] = Math.exp(3 + random.nextGaussian());
      harness.sendCustom(
          Events.value("App", "Latency", Map.of("Host", "a"), T0 + (i % 60_000), values[i]));
    }
    harness.advance(Duration.ofSeconds(60).plus(GRACE));

    List<MetricDatapoint> minutes = period(harness.emitted(), 60);
    assertEquals(1, minutes.size());
    MetricDatapoint point = minutes.get(0);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertEquals(T0, point.timestamp());
    assertEquals(values.length, point.sampleCount());
    assertEquals(Arrays.stream(values).sum(), point.sum(), 1e-6);
    assertEquals(sorted[0], point.minimum());
    assertEquals(sorted[sorted.length - 1], point.maximum());
    assertEquals(Map.of("Host", "a"), point.dimensions());
    assertEquals("Count", point.unit());

    var sketch = Sketches.decode(java.util.Base64.getDecoder().decode(point.sketch()));
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      double estimate = sketch.getValueAtQuantile(q);
      assertTrue(
          Math.abs(estimate - exact) <= Sketches.RELATIVE_ACCURACY * exact,
          "p" + q * 100 + ": " + estimate + " vs exact " + exact);
    }
  }

  @Test
  void shouldEmitAMinuteOnlyOnceItsGraceHasPassed() {
    harness.sendCustom(Events.value("App", "Requests", Map.of(), T0 + 1_000, 3));
    harness.advance(Duration.ofSeconds(60).plus(GRACE).minusMillis(1));
    assertTrue(harness.emitted().isEmpty(), "not final before end + grace");

    harness.advance(Duration.ofMillis(1));
    List<MetricDatapoint> points = harness.emitted();
    assertEquals(1, points.size());
    assertEquals(3, points.get(0).sum());

    harness.advance(Duration.ofMinutes(3));
    assertTrue(period(harness.emitted(), 60).isEmpty(), "a final period is emitted once");
  }

  @Test
  void shouldAcceptLateSamplesWithinGraceAndNeverReEmitAFinalPeriod() {
    harness.sendCustom(Events.value("App", "Orders", Map.of(), T0 + 10_000, 1));
    // 30 s after the minute ended: within the 60 s grace.
    harness.advance(Duration.ofSeconds(90));
    harness.sendCustom(Events.value("App", "Orders", Map.of(), T0 + 20_000, 1));
    harness.advance(Duration.ofSeconds(30));
    List<MetricDatapoint> points = period(harness.emitted(), 60);
    assertEquals(1, points.size());
    assertEquals(2, points.get(0).sampleCount());

    // Now the minute is final: a sample for it is counted as late, amends the stored minute
    // (what queries read) and the open 5-minute period, and is never emitted as a datapoint.
    harness.sendCustom(Events.value("App", "Orders", Map.of(), T0 + 30_000, 1));
    harness.advance(Duration.ofMinutes(5));
    List<MetricDatapoint> later = harness.emitted();
    assertTrue(period(later, 60).isEmpty(), "no second datapoint for a final minute");
    assertEquals(3, period(later, 300).get(0).sampleCount(), "the open rollup counts it");
    assertEquals(
        1, harness.counter("portico.metrics.late.samples", "source", "custom", "period", "60"));
    var stored =
        harness
            .driver
            .<dev.portico.metrics.model.MetricId, dev.portico.metrics.model.Aggregate>
                getWindowStore("custom-1m")
            .fetch(dev.portico.metrics.model.MetricId.of("App", "Orders", Map.of()), T0);
    assertEquals(3, stored.sampleCount());
  }

  @Test
  void shouldRollMinutesUpIntoFiveMinutesAndHoursWithoutRawSamples() {
    List<Double> all = new ArrayList<>();
    for (int minute = 0; minute < 60; minute++) {
      for (int i = 0; i < 10; i++) {
        double value = minute * 10 + i + 1;
        all.add(value);
        harness.sendCustom(
            Events.value("App", "Work", Map.of(), T0 + minute * 60_000L + i * 1000L, value));
      }
      // Close each minute as time passes, as in production.
      harness.advance(Duration.ofMinutes(1));
    }
    harness.advance(GRACE.plus(Duration.ofMinutes(1)));

    List<MetricDatapoint> points = harness.emitted();
    assertEquals(60, period(points, 60).size());
    List<MetricDatapoint> fives = period(points, 300);
    assertEquals(12, fives.size());
    MetricDatapoint firstFive = fives.get(0);
    assertEquals(T0, firstFive.timestamp());
    assertEquals(50, firstFive.sampleCount());
    assertEquals(all.subList(0, 50).stream().mapToDouble(d -> d).sum(), firstFive.sum());
    assertEquals(1, firstFive.minimum());
    assertEquals(50, firstFive.maximum());
    List<MetricDatapoint> hours = period(points, 3600);
    assertEquals(1, hours.size());
    assertEquals(600, hours.get(0).sampleCount());
    assertEquals(all.stream().mapToDouble(d -> d).sum(), hours.get(0).sum());
    var sketch = Sketches.decode(java.util.Base64.getDecoder().decode(hours.get(0).sketch()));
    assertEquals(300, sketch.getValueAtQuantile(0.5), 300 * Sketches.RELATIVE_ACCURACY);
  }

  @Test
  void shouldAggregateHighResolutionMetricsPerSecondToo() {
    for (int second = 0; second < 3; second++) {
      for (int i = 0; i <= second; i++) {
        harness.sendCustom(
            Events.highResolution("App", "Hits", Map.of(), T0 + second * 1000L + i, 1));
      }
    }
    harness.advance(Duration.ofSeconds(3).plus(HIGH_RES_GRACE));
    List<MetricDatapoint> seconds = period(harness.emitted(), 1);
    assertEquals(
        List.of(1.0, 2.0, 3.0), seconds.stream().map(MetricDatapoint::sampleCount).toList());
    assertEquals(
        List.of(T0, T0 + 1000, T0 + 2000),
        seconds.stream().map(MetricDatapoint::timestamp).toList());
    harness.advance(Duration.ofMinutes(2));
    assertEquals(6, period(harness.emitted(), 60).get(0).sampleCount());
  }

  @Test
  void shouldWeighValuesByCountsAndKeepStatisticSetsOutOfTheSketch() {
    harness.sendCustom(Events.values("App", "Weighted", T0, List.of(1.0, 10.0), List.of(3.0, 1.0)));
    harness.sendCustom(Events.statisticSet("App", "Summed", T0, 4, 10, 1, 4));
    harness.sendCustom(Events.statisticSet("App", "Same", T0, 4, 8, 2, 2));
    harness.advance(Duration.ofSeconds(60).plus(GRACE));
    Map<String, MetricDatapoint> byName =
        period(harness.emitted(), 60).stream()
            .collect(Collectors.toMap(MetricDatapoint::metricName, p -> p));
    MetricDatapoint weighted = byName.get("Weighted");
    assertEquals(4, weighted.sampleCount());
    assertEquals(13, weighted.sum());
    assertNotNull(weighted.sketch());
    MetricDatapoint summed = byName.get("Summed");
    assertEquals(4, summed.sampleCount());
    assertEquals(10, summed.sum());
    assertNull(summed.sketch(), "percentiles need raw values");
    assertNotNull(byName.get("Same").sketch(), "a set of equal values is exact");
  }

  @Test
  void shouldAggregateOneMetricOnceWhateverKeyItsProducerUsed() {
    for (int i = 0; i < 20; i++) {
      var datum = Events.value("App", "Spread", Map.of(), T0 + i, 1);
      harness.custom.pipeInput("random-" + i, datum, harness.clock.millis());
    }
    harness.custom.pipeInput(null, Events.value("App", "Spread", Map.of(), T0, 1));
    harness.advance(Duration.ofSeconds(60).plus(GRACE));
    List<MetricDatapoint> points = period(harness.emitted(), 60);
    assertEquals(1, points.size());
    assertEquals(21, points.get(0).sampleCount());
  }

  @Test
  void shouldSkipGatewayRequestsWithoutAnApiOrWithATimeFarOff() {
    harness.sendGateway(Events.request(T0, null, null, "GET", "/x", 403, 1));
    harness.sendGateway(
        Events.request(T0 + Duration.ofHours(3).toMillis(), "shop", "prod", "GET", "/x", 200, 1));
    harness.sendGateway(Events.request(T0, "shop", "prod", "GET", "/x", 200, 1));
    harness.advance(Duration.ofSeconds(60).plus(GRACE));
    List<MetricDatapoint> counts =
        period(harness.emitted(), 60).stream().filter(p -> p.metricName().equals("Count")).toList();
    assertEquals(3, counts.size(), "one request, in its three dimension sets");
    assertTrue(counts.stream().allMatch(p -> p.sum() == 1));
    assertEquals(2, harness.counter("portico.metrics.events.invalid", "source", "gateway"));
  }

  @Test
  void shouldCountWebSocketDisconnectsNowhereAndSkipUnknownEventTypes() {
    String disconnect = dev.portico.contracts.RequestEvent.DISCONNECT;
    harness.sendGateway(
        Events.webSocket(T0, "chat", "prod", disconnect, "$disconnect", 1000, null));
    harness.sendGateway(
        Events.webSocket(T0, "chat", "prod", disconnect, "$disconnect", 1006, null));
    harness.sendGateway(Events.webSocket(T0, "chat", "prod", "PING", "$default", 200, null));
    harness.advance(Duration.ofMinutes(60).plus(GRACE));
    assertEquals(List.of(), harness.emitted());
    assertEquals(2, harness.counter("portico.metrics.events.ingested", "source", "gateway"));
    assertEquals(1, harness.counter("portico.metrics.events.invalid", "source", "gateway"));
  }

  @Test
  void shouldRollWebSocketRouteCellsUpIntoFiveMinutesOncePerDimensionSet() {
    String message = dev.portico.contracts.RequestEvent.MESSAGE;
    // Minute 0: two messages on route "send", one no route took; minute 1: one on "$default".
    harness.sendGateway(Events.webSocket(T0, "chat", "prod", message, "send", 200, null));
    harness.sendGateway(
        Events.webSocket(T0 + 1, "chat", "prod", message, "send", 200, "IntegrationError"));
    harness.sendGateway(
        Events.webSocket(T0 + 2, "chat", "prod", message, null, 200, "ClientError"));
    harness.sendGateway(
        Events.webSocket(T0 + 60_000, "chat", "prod", message, "$default", 200, null));
    harness.advance(Duration.ofMinutes(5).plus(GRACE));
    Map<String, MetricDatapoint> fiveMinutes =
        period(harness.emitted(), 300).stream()
            .filter(p -> p.timestamp() == T0)
            .collect(Collectors.toMap(p -> p.metricName() + " " + p.dimensions(), p -> p));
    String api = "{ApiName=chat}";
    String stage = "{ApiName=chat, Stage=prod}";
    String send = "{ApiName=chat, Route=send, Stage=prod}";
    String fallback = "{ApiName=chat, Route=$default, Stage=prod}";
    assertEquals(4, fiveMinutes.get("MessageCount " + api).sum());
    assertEquals(4, fiveMinutes.get("MessageCount " + stage).sum());
    assertEquals(2, fiveMinutes.get("MessageCount " + send).sum());
    assertEquals(1, fiveMinutes.get("MessageCount " + fallback).sum());
    assertEquals(1, fiveMinutes.get("IntegrationError " + api).sum());
    assertEquals(4, fiveMinutes.get("IntegrationError " + api).sampleCount());
    assertEquals(1, fiveMinutes.get("ClientError " + stage).sum());
    assertEquals(0, fiveMinutes.get("ClientError " + send).sum());
    // MessageCount and 3 error metrics in 4 cells; no HTTP metric, no ConnectCount.
    assertEquals(16, fiveMinutes.size(), fiveMinutes.keySet().toString());
  }

  @Test
  void shouldDropInvalidDatumsFromKafkaAndCountThem() {
    harness.sendCustom(Events.value("App", "Bad", Map.of(), T0, Double.NaN));
    harness.sendCustom(Events.value("Portico/Gateway", "Count", Map.of(), T0, 1));
    harness.custom.pipeInput("x", (dev.portico.contracts.MetricDatum) null);
    harness.sendCustom(Events.value("App", "Good", Map.of(), T0, 1));
    harness.advance(Duration.ofSeconds(60).plus(GRACE));
    List<MetricDatapoint> points = period(harness.emitted(), 60);
    assertEquals(List.of("Good"), points.stream().map(MetricDatapoint::metricName).toList());
    assertEquals(3, harness.counter("portico.metrics.events.invalid", "source", "custom"));
  }
}
