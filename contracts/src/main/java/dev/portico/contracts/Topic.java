package dev.portico.contracts;

import java.time.Duration;
import java.util.List;

/**
 * A Kafka topic as Portico uses it: its wire format, who writes and reads it, and how long it keeps
 * data. The full name is the deployment's prefix plus {@link #suffix()}.
 *
 * @param key what the record key is (the aggregate id)
 * @param retention how long records are kept; {@code null} = forever (compacted topics)
 * @param partitions a fixed partition count, or 0 for the deployment's default ({@code
 *     PORTICO_KAFKA_PARTITIONS})
 */
public record Topic<V>(
    String suffix,
    String key,
    Class<V> valueType,
    String producer,
    List<String> consumers,
    Cleanup cleanup,
    Duration retention,
    String description,
    int partitions) {

  /** A topic with the deployment's default partition count. */
  public Topic(
      String suffix,
      String key,
      Class<V> valueType,
      String producer,
      List<String> consumers,
      Cleanup cleanup,
      Duration retention,
      String description) {
    this(suffix, key, valueType, producer, consumers, cleanup, retention, description, 0);
  }

  /** Kafka's {@code cleanup.policy}. */
  public enum Cleanup {
    DELETE,
    COMPACT,
    /** Compacted, and records older than the retention removed too. */
    COMPACT_DELETE;

    public String configValue() {
      return this == COMPACT_DELETE ? "compact,delete" : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public String name(String prefix) {
    return prefix + suffix;
  }

  public JsonSerde<V> valueSerde() {
    return new JsonSerde<>(valueType);
  }
}
