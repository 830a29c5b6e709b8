package dev.portico.customer;

import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.InstanceId;
import dev.portico.runtime.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * customer-service configuration.
 *
 * @param ops {@code PORTICO_CUSTOMER_OPS_PORT} (8091): /health, /ready, /metrics
 * @param applicationId {@code PORTICO_CUSTOMER_APPLICATION_ID} (portico-customer-service): the
 *     consumer group (after the topic prefix) shared by every replica of the table service
 * @param instanceId {@code PORTICO_CUSTOMER_INSTANCE_ID} (empty: an id kept in the state
 *     directory): this replica's stable identity in the group and its transactional id
 * @param stateDir {@code PORTICO_CUSTOMER_STATE_DIR} (./data/customer-service): local RocksDB
 *     state, always rebuildable from the changelog
 * @param stateMemoryMb {@code PORTICO_CUSTOMER_STATE_MEMORY_MB} (32): RocksDB block cache and
 *     memtables of all partitions together
 * @param commitInterval {@code PORTICO_CUSTOMER_COMMIT_INTERVAL_MS} (0): at most one transaction
 *     per interval; 0 commits each polled batch as soon as the previous commit returned
 * @param ttlAttribute {@code PORTICO_CUSTOMER_TTL_ATTRIBUTE} (empty = TTL off): the attribute
 *     holding an item's expiry in epoch seconds
 * @param ttlSweepInterval {@code PORTICO_CUSTOMER_TTL_SWEEP_MS} (10000): how often expired items
 *     are deleted (the customers table's, and team tables' with TTL enabled)
 * @param streamViewType {@code PORTICO_CUSTOMER_STREAM_VIEW_TYPE} (NEW_AND_OLD_IMAGES)
 * @param streamRetention {@code PORTICO_CUSTOMER_STREAM_RETENTION_HOURS} (24): the change stream's
 *     retention
 * @param sessionTimeout {@code PORTICO_CUSTOMER_SESSION_TIMEOUT_MS} (45000): how long a replica
 *     that died without leaving keeps its partitions
 */
public record CustomerConfig(
    KafkaSettings kafka,
    HttpEndpoint ops,
    String applicationId,
    String instanceId,
    Path stateDir,
    int stateMemoryMb,
    Duration commitInterval,
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
        InstanceId.read(env, "PORTICO_CUSTOMER_INSTANCE_ID"),
        env.path("PORTICO_CUSTOMER_STATE_DIR", "./data/customer-service"),
        env.integer("PORTICO_CUSTOMER_STATE_MEMORY_MB", 32, 8, 65_536),
        env.millis(
            "PORTICO_CUSTOMER_COMMIT_INTERVAL_MS",
            Duration.ZERO,
            Duration.ZERO,
            Duration.ofSeconds(1)),
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
