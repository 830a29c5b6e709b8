package dev.portico.contracts;

import java.time.Duration;
import java.util.List;

/**
 * The registry of every topic Portico writes or reads. The README's Anatomy section is checked
 * against it, and the launcher creates topics from it. Keys are UTF-8 strings throughout.
 */
public final class Topics {
  /** Default topic name prefix; {@code PORTICO_TOPIC_PREFIX} overrides it. */
  public static final String DEFAULT_PREFIX = "portico.";

  public static final Topic<FunctionRequest> CUSTOMER_COMMANDS =
      new Topic<>(
          "customers.commands",
          "customer_id (from the route's record-key expression)",
          FunctionRequest.class,
          "edge-service",
          List.of("customer-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(1),
          "Request events of the customer-api (function protocol); one item's commands stay in"
              + " order on one partition.");

  public static final Topic<FunctionResponse> EDGE_REPLIES =
      new Topic<>(
          "edge.replies",
          "correlation id",
          FunctionResponse.class,
          "customer-service, any function",
          List.of("edge-service"),
          Topic.Cleanup.DELETE,
          Duration.ofHours(1),
          "Response events of the function protocol; each edge instance owns one partition and"
              + " names it as the reply address of its requests.");

  public static final Topic<StreamRecord> CUSTOMER_CHANGES =
      new Topic<>(
          "customers.changes",
          "customer_id",
          StreamRecord.class,
          "customer-service",
          List.of("stream-service"),
          Topic.Cleanup.DELETE,
          Duration.ofHours(24),
          "The customers table's change stream: one DynamoDB-Streams-shaped record per effective"
              + " change, exactly once, in per-item order.");

  /**
   * The gateway's configuration (APIs, deployments, stages), one record per entity; compacted so
   * the latest value of every key is kept forever. Values are JSON objects; a delete is a
   * tombstone.
   */
  public static final Topic<Object> EDGE_CONFIG =
      new Topic<>(
          "edge.config",
          "entity key: api/{id}, deployment/{id}, stage/{name}",
          Object.class,
          "edge-service (admin API, start-up files)",
          List.of("edge-service"),
          Topic.Cleanup.COMPACT,
          null,
          "Gateway configuration shared by every edge replica; each replica reads it to the end"
              + " before it serves. One partition: changes apply in the order they were made.",
          1);

  public static final Topic<RequestEvent> GATEWAY_REQUESTS =
      new Topic<>(
          "gateway.requests",
          "api name",
          RequestEvent.class,
          "edge-service",
          List.of("metrics-service"),
          Topic.Cleanup.DELETE,
          Duration.ofHours(24),
          "One event per data-plane request (the access log as events), the input of the gateway"
              + " metrics.");

  public static final Topic<MetricDatum> METRICS_CUSTOM =
      new Topic<>(
          "metrics.custom",
          "namespace/metric name",
          MetricDatum.class,
          "any application, metrics-service's PutMetricData API",
          List.of("metrics-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(14),
          "Custom metric datums (PutMetricData over Kafka).");

  public static final Topic<MetricDatapoint> METRICS_DATAPOINTS =
      new Topic<>(
          "metrics.datapoints",
          "metric id: namespace/name/dimensions",
          MetricDatapoint.class,
          "metrics-service",
          List.of("alarm-service", "stream-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(15),
          "Final per-period statistics; once written, never changed. Only these drive alarms.");

  public static final Topic<AlarmStateChange> ALARM_STATE_CHANGES =
      new Topic<>(
          "alarms.state-changes",
          "alarm name",
          AlarmStateChange.class,
          "alarm-service",
          List.of("stream-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(14),
          "Every alarm state transition, CloudWatch's state-change event shape.");

  public static final Topic<Object> EDGE_USAGE =
      new Topic<>(
          "edge.usage",
          "usage/{apiKeyId}/{day}/{replica}, replica/{replica}",
          Object.class,
          "edge-service",
          List.of("edge-service"),
          Topic.Cleanup.COMPACT_DELETE,
          Duration.ofDays(40),
          "API-key usage counters per day and replica (cumulative), and replica heartbeats: how"
              + " quotas hold across replicas and restarts.",
          1);

  // Topics private to one service are declared in that service's own block below, so services
  // built in parallel never edit the same lines.
  // --- metrics-service private topics (none yet)
  // --- alarm-service private topics (none yet)

  private static final List<Topic<?>> ALL =
      List.of(
          CUSTOMER_COMMANDS,
          EDGE_REPLIES,
          CUSTOMER_CHANGES,
          EDGE_CONFIG,
          EDGE_USAGE,
          GATEWAY_REQUESTS,
          METRICS_CUSTOM,
          METRICS_DATAPOINTS,
          ALARM_STATE_CHANGES);

  private Topics() {}

  public static List<Topic<?>> all() {
    return ALL;
  }
}
