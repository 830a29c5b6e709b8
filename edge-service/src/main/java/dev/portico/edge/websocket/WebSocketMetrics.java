package dev.portico.edge.websocket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket metrics with API Gateway's names, per API and stage (bounded labels): {@code
 * ConnectCount}, {@code MessageCount} (frames to and from clients), {@code IntegrationError},
 * {@code ClientError}, {@code ExecutionError}; plus the live connection count, slow consumers
 * closed and channel messages delivered.
 */
public final class WebSocketMetrics {
  public static final String CONNECT_COUNT = "ConnectCount";
  public static final String MESSAGE_COUNT = "MessageCount";
  public static final String INTEGRATION_ERROR = "IntegrationError";
  public static final String CLIENT_ERROR = "ClientError";
  public static final String EXECUTION_ERROR = "ExecutionError";

  private static final Map<String, String> METER_NAMES =
      Map.of(
          CONNECT_COUNT, "portico.edge.ws.connects",
          MESSAGE_COUNT, "portico.edge.ws.messages",
          INTEGRATION_ERROR, "portico.edge.ws.integration.errors",
          CLIENT_ERROR, "portico.edge.ws.client.errors",
          EXECUTION_ERROR, "portico.edge.ws.execution.errors");

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Counter slowConsumers;
  private final Counter delivered;
  private final Counter feedPauses;

  public WebSocketMetrics(MeterRegistry registry, LocalConnections connections) {
    this.registry = registry;
    Gauge.builder("portico.edge.ws.connections", connections, LocalConnections::size)
        .description("WebSocket connections open on this replica")
        .register(registry);
    this.slowConsumers =
        Counter.builder("portico.edge.ws.slow.consumers")
            .description("Connections closed (1013) because their outbound buffer was full")
            .register(registry);
    this.delivered =
        Counter.builder("portico.edge.ws.channel.deliveries")
            .description("Channel messages written to subscribers")
            .register(registry);
    this.feedPauses =
        Counter.builder("portico.edge.ws.fanout.pauses")
            .description(
                "Times the channel feed stopped reading Kafka until the event loops caught up")
            .register(registry);
  }

  /** Counts one {@code metric} (a CloudWatch name above) for the API and stage. */
  public void count(String metric, String api, String stage) {
    counters
        .computeIfAbsent(
            metric + '\0' + api + '\0' + stage,
            k ->
                Counter.builder(METER_NAMES.get(metric))
                    .description("WebSocket " + metric)
                    .tags("api", api, "stage", stage)
                    .register(registry))
        .increment();
  }

  /** The count so far (tests, the admin view). */
  public double total(String metric) {
    return registry.find(METER_NAMES.get(metric)).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  void slowConsumerClosed() {
    slowConsumers.increment();
  }

  public double slowConsumersClosed() {
    return slowConsumers.count();
  }

  void feedPaused() {
    feedPauses.increment();
  }

  void delivered(int count) {
    delivered.increment(count);
  }
}
