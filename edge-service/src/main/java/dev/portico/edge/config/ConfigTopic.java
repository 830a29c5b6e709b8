package dev.portico.edge.config;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.Topics;
import dev.portico.contracts.edge.GatewayEntity;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.kit.Replay;
import dev.portico.runtime.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway configuration as a compacted Kafka topic: every replica tails it from the beginning
 * and applies each record to an immutable {@link GatewayConfig}; writers publish one record per
 * change and wait until their own replica has applied it (read-your-writes for the admin API).
 */
public final class ConfigTopic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigTopic.class);

  private final TopicPartition partition;
  private final BoundTopic<GatewayEntity> config;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Consumer<GatewayConfig> listener;
  private final ConcurrentSkipListMap<Long, CompletableFuture<GatewayConfig>> waiters =
      new ConcurrentSkipListMap<>();
  private final ConsumerLoop<String, byte[]> tail;
  private volatile GatewayConfig current = GatewayConfig.EMPTY;

  /**
   * @param listener called on the tailing thread with each new config, after a batch of records
   */
  public ConfigTopic(KafkaSettings kafka, Consumer<GatewayConfig> listener) {
    this.partition = new TopicPartition(kafka.topic(Topics.EDGE_CONFIG), 0);
    this.config = Topics.EDGE_CONFIG.named(partition.topic());
    this.listener = listener;
    // An admin request waits for its change: sent at once, and failed within seconds, not minutes.
    Map<String, Object> producerProps =
        ClientSettings.requestProducer(kafka.clientProperties("portico-edge-config-writer"));
    producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    // A change must reach every replica within 1 s; a parked fetch returns as soon as it lands.
    Map<String, Object> consumerProps =
        ClientSettings.committedReader(
            ClientSettings.tailConsumer(kafka.clientProperties("portico-edge-config-reader")));
    this.consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    this.tail =
        ConsumerLoop.builder("portico-edge-config", consumer)
            .onBatch(
                records -> {
                  apply(records);
                  listener.accept(current);
                })
            .afterPoll(
                () -> {
                  publishedUpTo = consumer.position(partition);
                  completeWaiters(publishedUpTo);
                })
            .build();
  }

  /** Blocking: reads the topic to its end, publishes that config, then tails it. */
  public void start() {
    long end = Replay.fromBeginning(consumer, List.of(partition), this::apply).get(partition);
    listener.accept(current);
    publishedUpTo = end;
    LOG.info("Gateway config loaded: {} records read from {}", end, partition.topic());
    tail.start();
  }

  public GatewayConfig current() {
    return current;
  }

  /**
   * Publishes one change ({@code value == null} deletes {@code key}) and completes once this
   * replica has applied it, with the config that includes it.
   */
  public CompletableFuture<GatewayConfig> write(String key, GatewayEntity value) {
    CompletableFuture<GatewayConfig> applied = new CompletableFuture<>();
    try {
      producer.send(
          config.record(0, null, key, value, UUID.randomUUID().toString()),
          (metadata, error) -> {
            if (error != null) {
              applied.completeExceptionally(error);
            } else {
              waiters.put(metadata.offset(), applied);
              completeWaiters(publishedUpTo);
            }
          });
    } catch (RuntimeException e) {
      applied.completeExceptionally(e);
    }
    return applied;
  }

  /** Offsets below this have been applied and handed to the listener. */
  private volatile long publishedUpTo;

  private void apply(org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records) {
    GatewayConfig next = current;
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        next = next.apply(record.key(), record.value());
      } catch (RuntimeException e) {
        // A record this version cannot read must not stop the gateway from applying the rest.
        LOG.warn("Skipping unreadable config record {} at {}", record.key(), record.offset(), e);
      }
    }
    current = next;
  }

  private void completeWaiters(long nextOffset) {
    var done = waiters.headMap(nextOffset);
    GatewayConfig config = current;
    done.values().forEach(f -> f.complete(config));
    done.clear();
  }

  @Override
  public void close() {
    tail.close();
    producer.close(Duration.ofSeconds(5));
    waiters.values().forEach(f -> f.completeExceptionally(new IllegalStateException("closed")));
  }
}
