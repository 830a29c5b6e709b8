package dev.portico.contracts;

import dev.portico.contracts.alarms.AlarmCommand;
import dev.portico.contracts.alarms.AlarmRecord;
import dev.portico.contracts.alarms.Delivery;
import dev.portico.contracts.alarms.HistoryItem;
import dev.portico.contracts.alarms.NotificationTopic;
import dev.portico.contracts.alarms.Signal;
import dev.portico.contracts.alarms.TopicCommand;
import dev.portico.contracts.edge.GatewayEntity;
import java.time.Duration;
import java.util.List;

/**
 * The registry of every topic Portico writes or reads. The README's Anatomy section is checked
 * against it, and the launcher creates topics from it. Keys are UTF-8 strings throughout.
 *
 * <p>Long because it is the registry: one declaration per topic (name, key, record type, writers,
 * readers, retention and wire format), all in one place.
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

  /**
   * Any function's request topic under the name its route gives (not in the registry: the admin API
   * creates it): request events in either payload format, or a WebSocket route's events.
   */
  public static final Topic<FunctionEvent> FUNCTION_REQUESTS =
      new Topic<>(
          "functions.requests",
          "the route's record-key expression, or none",
          FunctionEvent.class,
          "edge-service",
          List.of("the function"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(1),
          "Request events of the function protocol.",
          0,
          FunctionEvent.CODEC);

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
   * Team tables' change streams, all in one topic: each record is written to the partition of the
   * command that made the change (so shard = partition, and an item's records stay in order), keyed
   * by table name, NUL, and the base64 of the encoded partition key (the command's key).
   */
  public static final Topic<StreamRecord> TABLE_CHANGES =
      new Topic<>(
          "tables.changes",
          "table name, NUL, base64 of the encoded partition key (as the command's key)",
          StreamRecord.class,
          "customer-service",
          List.of("edge-service (DynamoDB Streams API)", "stream-service"),
          Topic.Cleanup.DELETE,
          Duration.ofHours(24),
          "Team tables' change streams (tables created with a StreamSpecification): one"
              + " DynamoDB-Streams-shaped record with DynamoDB JSON images per effective change,"
              + " exactly once, in per-item order. Same partition count as the commands topic.");

  /**
   * The table service's state, co-partitioned with {@link #CUSTOMER_COMMANDS} (partition n holds
   * the state of commands partition n): the values are the stored bytes (an item's JSON, a TTL
   * index entry, a receipt, a sequence number); a delete is a tombstone.
   */
  public static final Topic<byte[]> TABLE_STATE =
      new Topic<>(
          "tables.state",
          "state key: a kind letter (I item, T TTL index, R receipt, M meta), table name, NUL, key",
          byte[].class,
          "customer-service",
          List.of("customer-service (restores a partition's state from it)"),
          Topic.Cleanup.COMPACT,
          null,
          "The changelog of the table service's local state (RocksDB), written in the same"
              + " transaction as the replies and change records; a replica restores a partition"
              + " from it. Same partition count as the commands topic.",
          0,
          TopicCodec.bytes());

  /**
   * The table catalog: one record per table a team created (its definition as JSON: name, key
   * schema, TTL attribute, stream view type, creation time); a tombstone when it is deleted.
   * Written by the table service's exactly-once loop, read whole by every table-service and edge
   * replica.
   */
  public static final Topic<byte[]> TABLES_CATALOG =
      new Topic<>(
          "tables.catalog",
          "table name",
          byte[].class,
          "customer-service (CreateTable, DeleteTable)",
          List.of("customer-service", "edge-service (DynamoDB API)"),
          Topic.Cleanup.COMPACT,
          null,
          "Table definitions; every replica reads it whole and follows it. One partition: changes"
              + " apply in the order they were made.",
          1,
          TopicCodec.bytes());

  /**
   * The gateway's configuration (APIs, deployments, stages, API keys, usage plans), one record per
   * entity; compacted so the latest value of every key is kept forever. A delete is a tombstone.
   */
  public static final Topic<GatewayEntity> EDGE_CONFIG =
      new Topic<>(
          "edge.config",
          "entity key: api/{id}, deployment/{id}, stage/{name}",
          GatewayEntity.class,
          "edge-service (admin API, start-up files)",
          List.of("edge-service"),
          Topic.Cleanup.COMPACT,
          null,
          "Gateway configuration shared by every edge replica; each replica reads it to the end"
              + " before it serves. One partition: changes apply in the order they were made.",
          1,
          GatewayEntity.CODEC);

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

  public static final Topic<EdgeUsage> EDGE_USAGE =
      new Topic<>(
          "edge.usage",
          "usage/{apiKeyId}/{day}/{replica}, replica/{replica}",
          EdgeUsage.class,
          "edge-service",
          List.of("edge-service"),
          Topic.Cleanup.COMPACT_DELETE,
          Duration.ofDays(40),
          "API-key usage counters per day and replica (cumulative), and replica heartbeats: how"
              + " quotas hold across replicas and restarts.",
          1,
          EdgeUsage.CODEC);

  public static final Topic<ChannelMessage> WS_CHANNELS =
      new Topic<>(
          "ws.channels",
          "channel name",
          ChannelMessage.class,
          "stream-service (fan-out), any backend",
          List.of("edge-service (every replica reads every partition)"),
          Topic.Cleanup.DELETE,
          Duration.ofHours(1),
          "Messages for WebSocket channel subscribers; each edge replica delivers them to the"
              + " clients it holds. Live only: a replica starts at the end.");

  public static final Topic<ConnectionCommand> WS_COMMANDS =
      new Topic<>(
          "ws.commands",
          "connection id",
          ConnectionCommand.class,
          "any backend, edge-service (@connections API)",
          List.of("edge-service (every replica reads every partition)"),
          Topic.Cleanup.DELETE,
          Duration.ofHours(1),
          "Send to, describe or close one WebSocket connection; the replica that holds it acts"
              + " and, when asked, replies on the function protocol's reply address.");

  // Topics private to one service are declared in that service's own block below, so services
  // built in parallel never edit the same lines.
  // --- metrics-service private topics (none yet)
  // --- alarm-service private topics (values are alarm-service's records in contracts.alarms,
  // JSON; see docs/alarms.md)

  public static final Topic<AlarmCommand> ALARM_COMMANDS =
      new Topic<>(
          "alarms.commands",
          "alarm name",
          AlarmCommand.class,
          "alarm-service (REST API)",
          List.of("alarm-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(7),
          "AlarmCommand: put, delete, set-state, enable/disable actions; applied by the alarm's"
              + " partition owner in order with its datapoints. Same partition count as"
              + " alarms.signals.");

  public static final Topic<Signal> ALARM_SIGNALS =
      new Topic<>(
          "alarms.signals",
          "metric id or alarm name",
          Signal.class,
          "alarm-service",
          List.of("alarm-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(7),
          "Signal: a final datapoint or an alarm transition, copied to every partition so each"
              + " evaluator partition sees what its metric and composite alarms watch.");

  public static final Topic<AlarmRecord> ALARMS =
      new Topic<>(
          "alarms.alarms",
          "alarm name",
          AlarmRecord.class,
          "alarm-service",
          List.of("alarm-service"),
          Topic.Cleanup.COMPACT,
          null,
          "AlarmRecord: every alarm's definition and current state; tombstone = deleted. Every"
              + " replica reads it for DescribeAlarms.");

  public static final Topic<HistoryItem> ALARM_HISTORY =
      new Topic<>(
          "alarms.history",
          "alarm name",
          HistoryItem.class,
          "alarm-service",
          List.of("alarm-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(14),
          "HistoryItem: ConfigurationUpdate, StateUpdate and Action entries, kept after the alarm"
              + " is deleted.");

  public static final Topic<TopicCommand> NOTIFICATION_COMMANDS =
      new Topic<>(
          "notifications.commands",
          "notification topic name",
          TopicCommand.class,
          "alarm-service (REST API, confirmation and unsubscribe links)",
          List.of("alarm-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(7),
          "TopicCommand: create/delete topic, subscribe, confirm, unsubscribe. Same partition count"
              + " as notifications.messages.");

  public static final Topic<Notification> NOTIFICATION_MESSAGES =
      new Topic<>(
          "notifications.messages",
          "notification topic name",
          Notification.class,
          "alarm-service (Publish API, alarm actions)",
          List.of("alarm-service"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(7),
          "Notification: a message published to a topic, fanned out to its confirmed"
              + " subscriptions.");

  public static final Topic<NotificationTopic> NOTIFICATION_TOPICS =
      new Topic<>(
          "notifications.topics",
          "notification topic name",
          NotificationTopic.class,
          "alarm-service",
          List.of("alarm-service"),
          Topic.Cleanup.COMPACT,
          null,
          "NotificationTopic: a topic with all its subscriptions; tombstone = deleted.");

  public static final Topic<Delivery> NOTIFICATION_DELIVERIES =
      new Topic<>(
          "notifications.deliveries",
          "delivery id: message id + subscription id",
          Delivery.class,
          "alarm-service",
          List.of("alarm-service"),
          Topic.Cleanup.COMPACT_DELETE,
          Duration.ofDays(14),
          "Delivery: the outbox and the delivery state in one record per (message, subscription):"
              + " PENDING, SENDING, RETRYING, DELIVERED, DEAD, HELD or SKIPPED; the latest record of"
              + " each delivery is kept 14 days.");

  public static final Topic<Delivery> NOTIFICATION_DEAD_LETTERS =
      new Topic<>(
          "notifications.dead-letters",
          "delivery id",
          Delivery.class,
          "alarm-service",
          List.of("operators"),
          Topic.Cleanup.DELETE,
          Duration.ofDays(14),
          "Delivery: a copy of every delivery given up on (all retries failed, or a permanent"
              + " failure).");

  // --- stream-service private topics (JSON; see docs/streams.md)

  public static final Topic<TriggerDefinition> STREAM_TRIGGERS =
      new Topic<>(
          "streams.triggers",
          "trigger name",
          TriggerDefinition.class,
          "stream-service (triggers API)",
          List.of("stream-service"),
          Topic.Cleanup.COMPACT,
          null,
          "Trigger rules on the change stream (on, filter, publish action); tombstone = deleted."
              + " Every replica reads it whole. One partition: changes apply in order.",
          1);

  private static final List<Topic<?>> ALL =
      List.of(
          CUSTOMER_COMMANDS,
          EDGE_REPLIES,
          CUSTOMER_CHANGES,
          TABLE_CHANGES,
          TABLE_STATE,
          TABLES_CATALOG,
          EDGE_CONFIG,
          EDGE_USAGE,
          GATEWAY_REQUESTS,
          WS_CHANNELS,
          WS_COMMANDS,
          METRICS_CUSTOM,
          METRICS_DATAPOINTS,
          ALARM_STATE_CHANGES,
          ALARM_COMMANDS,
          ALARM_SIGNALS,
          ALARMS,
          ALARM_HISTORY,
          NOTIFICATION_COMMANDS,
          NOTIFICATION_MESSAGES,
          NOTIFICATION_TOPICS,
          NOTIFICATION_DELIVERIES,
          NOTIFICATION_DEAD_LETTERS,
          STREAM_TRIGGERS);

  private Topics() {}

  public static List<Topic<?>> all() {
    return ALL;
  }
}
