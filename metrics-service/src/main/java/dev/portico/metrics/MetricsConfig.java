package dev.portico.metrics;

import dev.portico.metrics.aggregation.Retention;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.InstanceId;
import dev.portico.runtime.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * metrics-service configuration.
 *
 * @param http {@code PORTICO_METRICS_PORT} (8093): the service's HTTP port: the metrics API
 *     (/metrics/data, /metrics/statistics, /metrics/list) and /health, /ready, /metrics
 * @param applicationId {@code PORTICO_METRICS_APPLICATION_ID} (portico-metrics-service): the Kafka
 *     Streams application id (after the topic prefix), shared by every replica
 * @param instanceId {@code PORTICO_METRICS_INSTANCE_ID} (empty: an id kept in the state directory):
 *     this replica's static group membership
 * @param stateDir {@code PORTICO_METRICS_STATE_DIR} (./data/metrics-service): local state
 *     (RocksDB), always rebuildable from the changelogs
 * @param commitInterval {@code PORTICO_METRICS_COMMIT_INTERVAL_MS} (1000): the longest time between
 *     exactly-once commits; a close check that emitted datapoints commits at once, so they are
 *     readable without waiting for it
 * @param streamThreads {@code PORTICO_METRICS_STREAM_THREADS} (2): Kafka Streams threads, each with
 *     its own tasks (input partitions) and transactions
 * @param standbyReplicas {@code PORTICO_METRICS_STANDBY_REPLICAS} (0): warm state copies on other
 *     replicas
 * @param gatewayHighResolution {@code PORTICO_METRICS_GATEWAY_RESOLUTION} (60): 1 also keeps
 *     gateway metrics per second (60 = per minute, as API Gateway)
 * @param highResolutionGrace {@code PORTICO_METRICS_HIGH_RESOLUTION_GRACE_MS} (5000): how long a
 *     1-second period accepts late samples after it ended
 * @param grace {@code PORTICO_METRICS_GRACE_MS} (60000): how long a 1-minute period accepts late
 *     samples after it ended; a 1-minute datapoint is final (and emitted) this long after its
 *     minute
 * @param closeInterval {@code PORTICO_METRICS_CLOSE_INTERVAL_MS} (200): how often periods are
 *     checked for finality
 * @param retention {@code PORTICO_METRICS_RETENTION_1S_HOURS} (3), {@code
 *     PORTICO_METRICS_RETENTION_1M_DAYS} (15), {@code PORTICO_METRICS_RETENTION_5M_DAYS} (63),
 *     {@code PORTICO_METRICS_RETENTION_1H_DAYS} (455): how long each resolution is kept
 * @param advertisedHost {@code PORTICO_METRICS_ADVERTISED_HOST} (empty: {@code PORTICO_HTTP_HOST}
 *     when that is one address, else this machine's host name): the name other replicas reach this
 *     one's HTTP port by, to forward queries for the partitions it owns
 * @param diskBudgetBytes {@code PORTICO_METRICS_DISK_BUDGET_MB} (10240): the state directory's
 *     budget; enforced: over it, the oldest aggregates are deleted, finest resolution first (see
 *     docs/metrics.md "Retention and disk budget")
 */
public record MetricsConfig(
    KafkaSettings kafka,
    HttpEndpoint http,
    String applicationId,
    String instanceId,
    Path stateDir,
    Duration commitInterval,
    int streamThreads,
    int standbyReplicas,
    boolean gatewayHighResolution,
    Duration highResolutionGrace,
    Duration grace,
    Duration closeInterval,
    Retention retention,
    String advertisedHost,
    long diskBudgetBytes) {

  private static final Pattern APPLICATION_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern RESOLUTION = Pattern.compile("1|60");

  /** The host other replicas reach this one by (see {@code advertisedHost}). */
  public String replicaHost() {
    if (!advertisedHost.isEmpty()) {
      return advertisedHost;
    }
    if (!http.host().equals("0.0.0.0") && !http.host().equals("::")) {
      return http.host();
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  public static MetricsConfig read(ConfigReader env) {
    return new MetricsConfig(
        KafkaSettings.read(env),
        HttpEndpoint.read(env, "PORTICO_METRICS_PORT", 8093),
        env.matching(
            "PORTICO_METRICS_APPLICATION_ID",
            "portico-metrics-service",
            APPLICATION_ID,
            "1-200 of A-Z a-z 0-9 . _ -"),
        InstanceId.read(env, "PORTICO_METRICS_INSTANCE_ID"),
        env.path("PORTICO_METRICS_STATE_DIR", "./data/metrics-service"),
        env.millis(
            "PORTICO_METRICS_COMMIT_INTERVAL_MS",
            Duration.ofMillis(1000),
            Duration.ofMillis(1),
            Duration.ofMinutes(1)),
        env.integer("PORTICO_METRICS_STREAM_THREADS", 2, 1, 64),
        env.integer("PORTICO_METRICS_STANDBY_REPLICAS", 0, 0, 10),
        env.matching("PORTICO_METRICS_GATEWAY_RESOLUTION", "60", RESOLUTION, "1 or 60").equals("1"),
        env.millis(
            "PORTICO_METRICS_HIGH_RESOLUTION_GRACE_MS",
            Duration.ofSeconds(5),
            Duration.ZERO,
            Duration.ofMinutes(10)),
        env.millis(
            "PORTICO_METRICS_GRACE_MS", Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1)),
        env.millis(
            "PORTICO_METRICS_CLOSE_INTERVAL_MS",
            Duration.ofMillis(200),
            Duration.ofMillis(10),
            Duration.ofMinutes(1)),
        new Retention(
            Duration.ofHours(env.integer("PORTICO_METRICS_RETENTION_1S_HOURS", 3, 1, 24 * 15)),
            Duration.ofDays(env.integer("PORTICO_METRICS_RETENTION_1M_DAYS", 15, 1, 455)),
            Duration.ofDays(env.integer("PORTICO_METRICS_RETENTION_5M_DAYS", 63, 1, 455)),
            Duration.ofDays(env.integer("PORTICO_METRICS_RETENTION_1H_DAYS", 455, 1, 3650))),
        env.string("PORTICO_METRICS_ADVERTISED_HOST", ""),
        env.integer("PORTICO_METRICS_DISK_BUDGET_MB", 10240, 64, Integer.MAX_VALUE)
            * 1024L
            * 1024L);
  }
}
