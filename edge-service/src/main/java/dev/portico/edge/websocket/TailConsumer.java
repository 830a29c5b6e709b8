package dev.portico.edge.websocket;

import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.runtime.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of a topic from its end, on a thread of its own, with no consumer group:
 * each edge replica must see every record (it holds its own sockets), and only what is published
 * from now on matters (live messages, commands for live connections).
 */
final class TailConsumer implements AutoCloseable {
  private final ConsumerLoop<String, byte[]> loop;

  TailConsumer(
      KafkaSettings kafka,
      String topic,
      String clientId,
      Consumer<ConsumerRecords<String, byte[]>> batches) {
    Map<String, Object> props = ClientSettings.tailConsumer(kafka.clientProperties(clientId));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    List<TopicPartition> assigned =
        partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToEnd(assigned);
    // Resolve the end now: records published after start() returns are never missed.
    assigned.forEach(consumer::position);
    this.loop = ConsumerLoop.builder(clientId, consumer).onBatch(batches::accept).build();
  }

  void start() {
    loop.start();
  }

  @Override
  public void close() {
    loop.close();
  }
}
