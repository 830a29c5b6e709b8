package dev.portico.metrics;

import dev.portico.contracts.MetricDatum;
import dev.portico.contracts.RequestEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test inputs: gateway request events and custom datums. */
public final class Events {
  private Events() {}

  public static RequestEvent request(
      long time,
      String api,
      String stage,
      String method,
      String resource,
      int status,
      double latencyMs) {
    return new RequestEvent(
        UUID.randomUUID().toString(),
        time,
        api,
        stage,
        "d1",
        false,
        method + " " + resource,
        method,
        resource,
        resource,
        status,
        latencyMs,
        latencyMs / 2,
        "kafka",
        "topic",
        100,
        null,
        "127.0.0.1",
        "test",
        null,
        null,
        null,
        null);
  }

  /** A WebSocket event ({@code CONNECT}, {@code MESSAGE}, {@code DISCONNECT}) as the edge sends. */
  public static RequestEvent webSocket(
      long time,
      String api,
      String stage,
      String eventType,
      String routeKey,
      int status,
      String errorType) {
    return new RequestEvent(
        UUID.randomUUID().toString(),
        time,
        api,
        stage,
        "d1",
        false,
        routeKey,
        null,
        null,
        eventType.equals(RequestEvent.CONNECT) ? "/" + stage : null,
        status,
        3,
        routeKey == null ? 0 : 2,
        routeKey == null ? null : "kafka",
        routeKey == null ? null : "topic",
        0,
        null,
        "127.0.0.1",
        "test",
        null,
        errorType,
        eventType,
        "conn-" + (time % 1000));
  }

  public static MetricDatum value(
      String namespace, String name, Map<String, String> dimensions, long time, double value) {
    return new MetricDatum(
        namespace, name, dimensions, time, value, null, null, null, "Count", null);
  }

  public static MetricDatum highResolution(
      String namespace, String name, Map<String, String> dimensions, long time, double value) {
    return new MetricDatum(namespace, name, dimensions, time, value, null, null, null, null, 1);
  }

  public static MetricDatum values(
      String namespace, String name, long time, List<Double> values, List<Double> counts) {
    return new MetricDatum(
        namespace, name, Map.of(), time, null, null, values, counts, "Milliseconds", null);
  }

  public static MetricDatum statisticSet(
      String namespace, String name, long time, double count, double sum, double min, double max) {
    return new MetricDatum(
        namespace,
        name,
        Map.of(),
        time,
        null,
        new MetricDatum.StatisticSet(count, sum, min, max),
        null,
        null,
        null,
        null);
  }
}
