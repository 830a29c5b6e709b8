package dev.portico.contracts;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A Kafka topic as Portico uses it: its wire format, who writes and reads it, and how long it keeps
 * data. The full name is the deployment's prefix plus {@link #suffix()}; {@link #in(String)} binds
 * it to a prefix for writing and reading records.
 *
 * @param key what the record key is (the aggregate id); keys are UTF-8 strings throughout
 * @param valueType the record type of the values (for a topic whose type depends on the key, their
 *     common interface)
 * @param retention how long records are kept; {@code null} = forever (compacted topics)
 * @param partitions a fixed partition count, or 0 for the deployment's default ({@code
 *     PORTICO_KAFKA_PARTITIONS})
 * @param codec how values are written and read (JSON of {@code valueType} unless said otherwise)
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
    int partitions,
    TopicCodec<V> codec) {

  /** The schema version every Portico record carries today ({@code portico-schema-version}). */
  public static final String SCHEMA_VERSION = "1";

  /** A topic of JSON records with the deployment's default partition count. */
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

  /** A topic of JSON records. */
  public Topic(
      String suffix,
      String key,
      Class<V> valueType,
      String producer,
      List<String> consumers,
      Cleanup cleanup,
      Duration retention,
      String description,
      int partitions) {
    this(
        suffix,
        key,
        valueType,
        producer,
        consumers,
        cleanup,
        retention,
        description,
        partitions,
        TopicCodec.json(valueType));
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

  /** This topic in the deployment whose topic names start with {@code prefix}. */
  public BoundTopic<V> in(String prefix) {
    return new BoundTopic<>(this, name(prefix));
  }

  /**
   * A topic of this kind under a name given at run time: the reply topic a request names, the
   * function topic a route names.
   */
  public BoundTopic<V> named(String fullName) {
    return new BoundTopic<>(this, fullName);
  }

  /**
   * The headers every Portico record carries: {@code portico-event-id}, {@code portico-event-type}
   * (the value's record type; the topic's for a tombstone) and {@code portico-schema-version}. The
   * one place they are written; Kafka Streams processors that forward records take them from here.
   */
  public Headers headers(String eventId, V value) {
    Headers headers = new RecordHeaders();
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_ID, eventId);
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_TYPE, eventType(value));
    ProtocolHeaders.put(headers, ProtocolHeaders.SCHEMA_VERSION, SCHEMA_VERSION);
    return headers;
  }

  /** The {@code portico-event-type} of a value of this topic. */
  public String eventType(V value) {
    return (value == null ? valueType : value.getClass()).getSimpleName();
  }

  /**
   * The value of a record of this topic with this key, or {@code null} for a tombstone.
   *
   * @throws IllegalArgumentException when the bytes are not what the topic carries
   */
  public V decode(String key, byte[] bytes) {
    return bytes == null ? null : codec.decode(key, bytes);
  }

  /** A Kafka serde of this topic's JSON values (Kafka Streams). */
  public JsonSerde<V> valueSerde() {
    return new JsonSerde<>(valueType);
  }
}
