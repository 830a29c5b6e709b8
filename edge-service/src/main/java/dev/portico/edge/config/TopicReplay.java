package dev.portico.edge.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a single-partition (compacted) topic from its beginning to the end it had when asked: how
 * an edge replica restores shared state (configuration, usage counts) before it serves.
 */
public final class TopicReplay {
  private TopicReplay() {}

  /**
   * Assigns {@code partition} to {@code consumer}, hands every batch up to the current end to
   * {@code batches}, and returns that end offset; the consumer is then positioned to tail.
   */
  public static <K, V> long toEnd(
      KafkaConsumer<K, V> consumer,
      TopicPartition partition,
      Consumer<ConsumerRecords<K, V>> batches) {
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
    while (consumer.position(partition) < end) {
      batches.accept(consumer.poll(Duration.ofMillis(200)));
    }
    return end;
  }
}
