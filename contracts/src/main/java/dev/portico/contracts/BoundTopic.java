package dev.portico.contracts;

import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A registry topic under its full name: writes records with the standard headers and reads them
 * back typed. The one way services build and decode Portico records.
 *
 * @param name the full topic name (prefix included)
 */
public record BoundTopic<V>(Topic<V> topic, String name) {

  /** A record with a new random event id. */
  public ProducerRecord<String, byte[]> record(String key, V value) {
    return record(key, value, UUID.randomUUID().toString());
  }

  /**
   * A record with the given event id: derive it from what the record is (a change's id, a period of
   * a metric) so that a record written again after a retry carries the same id.
   */
  public ProducerRecord<String, byte[]> record(String key, V value, String eventId) {
    return record(null, null, key, value, eventId);
  }

  /**
   * A record for an exact partition (null: by key) and with a timestamp (null: now), the standard
   * headers on it; callers may add headers of their own to the returned record.
   */
  public ProducerRecord<String, byte[]> record(
      Integer partition, Long timestamp, String key, V value, String eventId) {
    return new ProducerRecord<>(
        name,
        partition,
        timestamp,
        key,
        value == null ? null : topic.codec().encode(value),
        topic.headers(eventId, value));
  }

  /** A deletion of {@code key} (compacted topics). */
  public ProducerRecord<String, byte[]> tombstone(String key) {
    return record(key, null);
  }

  /**
   * The record's value, or {@code null} for a tombstone.
   *
   * @throws IllegalArgumentException when it is not what the topic carries (never a Kafka
   *     exception, so an exactly-once loop skips the record instead of retrying it for ever)
   */
  public V read(ConsumerRecord<String, byte[]> record) {
    return topic.decode(record.key(), record.value());
  }
}
