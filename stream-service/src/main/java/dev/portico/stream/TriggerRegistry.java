package dev.portico.stream;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.Json;
import dev.portico.contracts.Topics;
import dev.portico.contracts.TriggerDefinition;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.kit.Replay;
import dev.portico.runtime.KafkaSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger rules: kept in the compacted triggers topic (the only copy), read whole by every
 * replica into memory and followed by a background thread. A write through this replica's API is
 * applied to its view as soon as Kafka acknowledged it (read-your-writes here; other replicas see
 * it one poll later).
 */
final class TriggerRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerRegistry.class);

  private final String topic;
  private final BoundTopic<TriggerDefinition> triggers;
  private final Map<String, TriggerRule> rules = new ConcurrentHashMap<>();
  private final KafkaProducer<String, byte[]> producer;
  private final ConsumerLoop<String, byte[]> follower;

  /** Blocking: reads the topic to its end before it returns, so rules are there before changes. */
  TriggerRegistry(KafkaSettings kafka, String topic) {
    this.topic = topic;
    this.triggers = Topics.STREAM_TRIGGERS.named(topic);
    Map<String, Object> p =
        ClientSettings.requestProducer(kafka.clientProperties("portico-stream-triggers-writer"));
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Map<String, Object> c =
        ClientSettings.tailConsumer(kafka.clientProperties("portico-stream-triggers-reader"));
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    // The registry declares the topic with one partition (rules apply in the order written).
    Replay.fromBeginning(
        consumer, List.of(new TopicPartition(topic, 0)), batch -> batch.forEach(this::apply));
    LOG.info("Loaded {} trigger(s) from {}", rules.size(), topic);
    follower =
        ConsumerLoop.builder("stream-triggers-follower", consumer)
            .onBatch(batch -> batch.forEach(this::apply))
            .build()
            .start();
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      rules.remove(record.key());
      return;
    }
    try {
      // Read as the API reads a new rule (a tree through TriggerRule.parse), so a stored rule is
      // checked as strictly as one written through the API.
      rules.put(
          record.key(), TriggerRule.parse(record.key(), Json.MAPPER.readTree(record.value())));
    } catch (Exception e) {
      LOG.warn("Ignoring unreadable trigger {}: {}", record.key(), e.getMessage());
    }
  }

  Collection<TriggerRule> all() {
    return rules.values();
  }

  Optional<TriggerRule> get(String name) {
    return Optional.ofNullable(rules.get(name));
  }

  /** Stores the rule (blocking until Kafka acknowledged it). */
  void put(TriggerRule rule) {
    write(triggers.record(rule.name(), rule.definition()));
    rules.put(rule.name(), rule);
  }

  /** Deletes the rule: a tombstone. */
  void delete(String name) {
    write(triggers.tombstone(name));
    rules.remove(name);
  }

  private void write(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamError(503, "ServiceUnavailable", "Interrupted while storing the trigger");
    } catch (ExecutionException e) {
      throw new StreamError(
          503,
          "ServiceUnavailable",
          "Kafka did not store the trigger: " + e.getCause().getMessage());
    }
  }

  @Override
  public void close() {
    follower.close();
    producer.close(Duration.ofSeconds(2));
  }
}
