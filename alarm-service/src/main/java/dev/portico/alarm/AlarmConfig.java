package dev.portico.alarm;

import dev.portico.alarm.delivery.RetryPolicy;
import dev.portico.alarm.delivery.SmtpSettings;
import dev.portico.alarm.streams.DatapointDeadline;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.InstanceId;
import dev.portico.runtime.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * alarm-service configuration.
 *
 * @param http {@code PORTICO_ALARM_PORT} (8094): the service's HTTP port: the alarms and
 *     notification-topics API, the confirmation and unsubscribe links, /health, /ready, /metrics
 * @param applicationId {@code PORTICO_ALARM_APPLICATION_ID} (portico-alarm-service): the Kafka
 *     Streams application id (after the topic prefix), shared by every replica; the delivery
 *     worker's consumer group is this id plus {@code -delivery}
 * @param instanceId {@code PORTICO_ALARM_INSTANCE_ID} (empty: an id kept in the state directory):
 *     this replica's static membership in the Streams application's group and in the delivery
 *     worker's group
 * @param stateDir {@code PORTICO_ALARM_STATE_DIR} (./data/alarm-service): local RocksDB state,
 *     always rebuildable from the changelogs
 * @param commitInterval {@code PORTICO_ALARM_COMMIT_INTERVAL_MS} (100): Kafka Streams transaction
 *     commit interval; each of the three hops from datapoint to outbox waits for one commit
 * @param evaluationTick {@code PORTICO_ALARM_EVALUATION_TICK_MS} (1000): how often the clock checks
 *     for alarms whose datapoints are overdue (missing data)
 * @param deadline when a period's data is final: its end plus metrics-service's grace of the tier
 *     the alarm reads ({@code PORTICO_METRICS_HIGH_RESOLUTION_GRACE_MS}, 5000, for periods under 60
 *     s; {@code PORTICO_METRICS_GRACE_MS}, 60000, otherwise: the same variables metrics-service
 *     reads) plus {@code PORTICO_ALARM_DATAPOINT_MARGIN_MS} (2000), the datapoints' way through
 *     Kafka; then the period is evaluated with whatever datapoints came
 * @param clusterName {@code PORTICO_ALARM_CLUSTER_NAME} (Portico): named in alarm emails, as in
 *     {@code ALARM: "name" in <cluster name>}
 * @param publicUrl {@code PORTICO_ALARM_PUBLIC_URL} (http://localhost:8094): the base URL people
 *     reach this service at; confirmation and unsubscribe links start with it
 * @param dashboardUrl {@code PORTICO_ALARM_DASHBOARD_URL} (http://localhost:{@code
 *     PORTICO_EDGE_OPS_PORT}/dashboard, 8090 by default): the live dashboard; an alarm email's
 *     "View this alarm" link opens the alarm there ({@code #alarm=NAME})
 * @param smtp {@code PORTICO_SMTP_*}: see {@link SmtpSettings}
 * @param retries {@code PORTICO_ALARM_DELIVERY_*}: see {@link RetryPolicy}
 * @param deliveryThreads {@code PORTICO_ALARM_DELIVERY_THREADS} (4): deliveries sent in parallel by
 *     one replica
 * @param deliveryListLimit {@code PORTICO_ALARM_DELIVERY_LIST_LIMIT} (10000): the newest deliveries
 *     each replica keeps in memory for {@code GET /deliveries}
 */
public record AlarmConfig(
    KafkaSettings kafka,
    HttpEndpoint http,
    String applicationId,
    String instanceId,
    Path stateDir,
    Duration commitInterval,
    Duration evaluationTick,
    DatapointDeadline deadline,
    String clusterName,
    String publicUrl,
    String dashboardUrl,
    SmtpSettings smtp,
    RetryPolicy retries,
    int deliveryThreads,
    int deliveryListLimit) {

  private static final Pattern APPLICATION_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern CLUSTER_NAME = Pattern.compile("[^\\p{Cntrl}]{1,64}");
  private static final Pattern URL = Pattern.compile("https?://[^\\s/?#]+(/[^\\s?#]*)?");

  public static AlarmConfig read(ConfigReader env) {
    return new AlarmConfig(
        KafkaSettings.read(env),
        HttpEndpoint.read(env, "PORTICO_ALARM_PORT", 8094),
        env.matching(
            "PORTICO_ALARM_APPLICATION_ID",
            "portico-alarm-service",
            APPLICATION_ID,
            "1-200 of A-Z a-z 0-9 . _ -"),
        InstanceId.read(env, "PORTICO_ALARM_INSTANCE_ID"),
        env.path("PORTICO_ALARM_STATE_DIR", "./data/alarm-service"),
        env.millis(
            "PORTICO_ALARM_COMMIT_INTERVAL_MS",
            Duration.ofMillis(100),
            Duration.ofMillis(1),
            Duration.ofMinutes(1)),
        env.millis(
            "PORTICO_ALARM_EVALUATION_TICK_MS",
            Duration.ofSeconds(1),
            Duration.ofMillis(10),
            Duration.ofMinutes(1)),
        new DatapointDeadline(
            env.millis(
                "PORTICO_METRICS_HIGH_RESOLUTION_GRACE_MS",
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ofMinutes(10)),
            env.millis(
                "PORTICO_METRICS_GRACE_MS",
                Duration.ofSeconds(60),
                Duration.ZERO,
                Duration.ofHours(1)),
            env.millis(
                "PORTICO_ALARM_DATAPOINT_MARGIN_MS",
                Duration.ofSeconds(2),
                Duration.ZERO,
                Duration.ofHours(1))),
        env.matching(
            "PORTICO_ALARM_CLUSTER_NAME",
            "Portico",
            CLUSTER_NAME,
            "1-64 characters, no control characters"),
        trimSlash(
            env.matching(
                "PORTICO_ALARM_PUBLIC_URL",
                "http://localhost:8094",
                URL,
                "an http:// or https:// URL without query")),
        trimSlash(
            env.matching(
                "PORTICO_ALARM_DASHBOARD_URL",
                "http://localhost:" + env.port("PORTICO_EDGE_OPS_PORT", 8090) + "/dashboard",
                URL,
                "an http:// or https:// URL without query")),
        SmtpSettings.read(env),
        RetryPolicy.read(env),
        env.integer("PORTICO_ALARM_DELIVERY_THREADS", 4, 1, 64),
        env.integer("PORTICO_ALARM_DELIVERY_LIST_LIMIT", 10_000, 100, 1_000_000));
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
