package dev.portico.stream;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.ChannelMessage;
import dev.portico.contracts.Topics;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.runtime.KafkaSettings;
import dev.portico.stream.ChannelMessages.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes change records, alarm transitions and gateway datapoints to WebSocket channels ({@link
 * ChannelMessages} decides what goes where), at least once: a consumer group member (replicas share
 * the partitions) that, per polled batch, sends every message, waits until Kafka acknowledged all
 * of them, and only then commits the batch's offsets. A failed send rewinds to the committed
 * offsets and publishes the batch again, so a crash or failure repeats messages (same {@code
 * eventId}) but never loses one. Messages are keyed by channel and sent in consumption order by an
 * idempotent producer, so each channel's partition holds an item's changes in their order.
 *
 * <p>Runs on its own thread (Kafka clients block), never on a Vert.x event loop. A new group starts
 * at the end of its topics (live channels, not a replay of the last day) and commits that start at
 * once, so records written while every replica is down are published when one is back.
 */
final class ChannelFanOut implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelFanOut.class);

  private static final Duration RETRY_BACKOFF = Duration.ofMillis(500);

  private final KafkaSettings kafka;
  private final BoundTopic<ChannelMessage> channels;
  private final Map<String, Source> sources;
  private final KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private final ConsumerLoop<String, byte[]> loop;
  private final Map<Source, Counter> published = new EnumMap<>(Source.class);
  private final Counter publishFailures;
  private final Counter skipped;
  private final PinLatestOnAssignment pinning;

  /**
   * @param sources the full name of each topic to read, with what it carries
   */
  ChannelFanOut(
      KafkaSettings kafka,
      Map<String, Source> sources,
      String channelsTopic,
      String instanceId,
      MeterRegistry meters) {
    this.kafka = kafka;
    this.channels = Topics.WS_CHANNELS.named(channelsTopic);
    this.sources = Map.copyOf(sources);
    for (Source source : Source.values()) {
      published.put(
          source,
          Counter.builder("portico_stream_fanout_messages")
              .description("Channel messages published (acknowledged by Kafka), by source topic")
              .tag("source", source.tag)
              .register(meters));
    }
    this.publishFailures = failures(meters, "publish");
    this.skipped = failures(meters, "skipped");
    Map<String, Object> c =
        ClientSettings.committedReader(
            ClientSettings.tailConsumer(kafka.clientProperties("portico-stream-fanout")));
    c.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.topicPrefix() + "stream-service-fanout");
    ClientSettings.staticMember(c, instanceId);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    producer = newProducer();
    pinning = new PinLatestOnAssignment(consumer);
    loop =
        ConsumerLoop.builder("stream-fanout", consumer)
            .setUp(polling -> polling.subscribe(List.copyOf(this.sources.keySet()), pinning))
            .onBatch(this::publish)
            .beforeClose(polling -> producer.close(Duration.ofSeconds(2)))
            .build()
            .start();
  }

  private static Counter failures(MeterRegistry meters, String reason) {
    return Counter.builder("portico_stream_fanout_failures")
        .description(
            "Fan-out failures: batches whose publishing failed and were published again (publish),"
                + " records or messages that can never be published and were skipped (skipped)")
        .tag("reason", reason)
        .register(meters);
  }

  private KafkaProducer<String, byte[]> newProducer() {
    Map<String, Object> p =
        ClientSettings.fanOutProducer(kafka.clientProperties("portico-stream-fanout-publisher"));
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** True once the group gave this member its partitions (and their start positions are fixed). */
  boolean ready() {
    return pinning.assigned() && loop.isRunning();
  }

  /** The error the loop stopped with, or null while it runs. */
  Throwable failure() {
    return loop.failure();
  }

  /** Publishes a batch and commits it, or rewinds to read it again. */
  private void publish(ConsumerRecords<String, byte[]> batch) throws InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    Map<Source, Integer> counts = new EnumMap<>(Source.class);
    try {
      for (ConsumerRecord<String, byte[]> record : batch) {
        offsets.put(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1));
        Source source = sources.get(record.topic());
        for (ChannelMessage message : messages(source, record)) {
          sends.add(send(message));
          counts.merge(source, 1, Integer::sum);
        }
      }
      producer.flush();
      for (Future<RecordMetadata> sent : sends) {
        acknowledged(sent);
      }
    } catch (KafkaException | ExecutionException e) {
      LOG.warn("Channel fan-out batch failed, publishing it again: {}", e.getMessage());
      publishFailures.increment();
      replaceProducer();
      rewind(Set.copyOf(batch.partitions()));
      Thread.sleep(RETRY_BACKOFF.toMillis());
      return;
    }
    commit(offsets);
    counts.forEach((source, n) -> published.get(source).increment(n));
  }

  private List<ChannelMessage> messages(Source source, ConsumerRecord<String, byte[]> record) {
    try {
      return ChannelMessages.of(source, record.key(), record.value());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "Skipping an unreadable record of {} at partition {} offset {}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      skipped.increment();
      return List.of();
    }
  }

  private Future<RecordMetadata> send(ChannelMessage message) {
    // Unique per message (a change goes to two channels with one eventId), the same on a repeat.
    String messageId =
        UUID.nameUUIDFromBytes(
                (message.channel() + "\n" + message.eventId()).getBytes(StandardCharsets.UTF_8))
            .toString();
    return producer.send(channels.record(message.channel(), message, messageId));
  }

  /** Waits for a send's acknowledgement; a message too large for Kafka is skipped, not retried. */
  private void acknowledged(Future<RecordMetadata> sent)
      throws ExecutionException, InterruptedException {
    try {
      sent.get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RecordTooLargeException)) {
        throw e;
      }
      LOG.warn("Skipping a channel message over the size limit: {}", e.getCause().getMessage());
      skipped.increment();
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException stopping) {
      // close() came mid-commit: finish it, so a graceful stop leaves nothing to publish again.
      consumer.commitSync(offsets);
      throw stopping;
    } catch (KafkaException e) {
      // Partitions moved to another member, which publishes from the last commit: repeats, no loss.
      LOG.info("Fan-out commit refused ({}); the new owner publishes again", e.getMessage());
    }
  }

  /** A fresh producer after a failure, so no half-failed state carries into the retry. */
  private void replaceProducer() {
    producer.close(Duration.ofSeconds(2));
    producer = newProducer();
  }

  private void rewind(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata at = committed.get(tp);
      if (at != null) {
        consumer.seek(tp, at.offset());
      }
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
