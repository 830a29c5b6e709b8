package dev.portico.customer;

import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * customer-service configuration.
 *
 * @param ops {@code PORTICO_CUSTOMER_OPS_PORT} (8091): /health, /ready, /metrics
 * @param applicationId {@code PORTICO_CUSTOMER_APPLICATION_ID} (portico-customer-service): the
 *     Kafka Streams application id, shared by every replica of one table
 * @param stateDir {@code PORTICO_CUSTOMER_STATE_DIR} (./data/customer-service): local RocksDB
 *     state, always rebuildable from the changelog
 * @param commitInterval {@code PORTICO_CUSTOMER_COMMIT_INTERVAL_MS} (1): transaction commit
 *     interval; a reply is visible only after its transaction commits, so it bounds write latency
 * @param standbyReplicas {@code PORTICO_CUSTOMER_STANDBY_REPLICAS} (0): warm copies of each
 *     partition's state on other replicas, for fast failover
 * @param streamThreads {@code PORTICO_CUSTOMER_STREAM_THREADS} (1)
 * @param ttlAttribute {@code PORTICO_CUSTOMER_TTL_ATTRIBUTE} (empty = TTL off): the attribute
 *     holding an item's expiry in epoch seconds
 * @param ttlSweepInterval {@code PORTICO_CUSTOMER_TTL_SWEEP_MS} (10000): how often expired items
 *     are deleted
 * @param streamViewType {@code PORTICO_CUSTOMER_STREAM_VIEW_TYPE} (NEW_AND_OLD_IMAGES)
 * @param streamRetention {@code PORTICO_CUSTOMER_STREAM_RETENTION_HOURS} (24): the change stream's
 *     retention
 */
public record CustomerConfig(
    KafkaSettings kafka,
    HttpEndpoint ops,
    String applicationId,
    Path stateDir,
    Duration commitInterval,
    int standbyReplicas,
    int streamThreads,
    String ttlAttribute,
    Duration ttlSweepInterval,
    StreamViewType streamViewType,
    Duration streamRetention,
    Duration sessionTimeout) {

  private static final Pattern APPLICATION_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{0,255}");
  private static final Pattern VIEW_TYPE =
      Pattern.compile("KEYS_ONLY|NEW_IMAGE|OLD_IMAGE|NEW_AND_OLD_IMAGES");

  public static CustomerConfig read(ConfigReader env) {
    return new CustomerConfig(
        KafkaSettings.read(env),
        HttpEndpoint.read(env, "PORTICO_CUSTOMER_OPS_PORT", 8091),
        env.matching(
            "PORTICO_CUSTOMER_APPLICATION_ID",
            "portico-customer-service",
            APPLICATION_ID,
            "1-200 of A-Z a-z 0-9 . _ -"),
        env.path("PORTICO_CUSTOMER_STATE_DIR", "./data/customer-service"),
        env.millis(
            "PORTICO_CUSTOMER_COMMIT_INTERVAL_MS",
            Duration.ofMillis(1),
            Duration.ofMillis(1),
            Duration.ofMinutes(1)),
        env.integer("PORTICO_CUSTOMER_STANDBY_REPLICAS", 0, 0, 10),
        env.integer("PORTICO_CUSTOMER_STREAM_THREADS", 1, 1, 64),
        env.matching("PORTICO_CUSTOMER_TTL_ATTRIBUTE", "", ATTRIBUTE, "an attribute name or empty"),
        env.millis(
            "PORTICO_CUSTOMER_TTL_SWEEP_MS",
            Duration.ofSeconds(10),
            Duration.ofMillis(100),
            Duration.ofMinutes(10)),
        StreamViewType.valueOf(
            env.matching(
                "PORTICO_CUSTOMER_STREAM_VIEW_TYPE",
                StreamViewType.NEW_AND_OLD_IMAGES.name(),
                VIEW_TYPE,
                "KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES")),
        Duration.ofHours(env.integer("PORTICO_CUSTOMER_STREAM_RETENTION_HOURS", 24, 1, 24 * 365)),
        env.millis(
            "PORTICO_CUSTOMER_SESSION_TIMEOUT_MS",
            Duration.ofSeconds(45),
            Duration.ofSeconds(6),
            Duration.ofMinutes(5)));
  }
}
