package dev.portico.edge.websocket;

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
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a topic from its end, on a thread of its own, with no consumer group:
 * each edge replica must see every record (it holds its own sockets), and only what is published
 * from now on matters (live messages, commands for live connections).
 */
final class TailConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TailConsumer.class);
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  TailConsumer(
      KafkaSettings kafka,
      String topic,
      String clientId,
      Consumer<ConsumerRecords<String, byte[]>> batches) {
    Map<String, Object> props = kafka.clientProperties(clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // A parked fetch is answered as soon as a record arrives; the wait only bounds an idle fetch.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    List<TopicPartition> assigned =
        partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToEnd(assigned);
    // Resolve the end now: records published after start() returns are never missed.
    assigned.forEach(consumer::position);
    this.thread =
        new Thread(
            () -> {
              try {
                while (running) {
                  ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                  if (!records.isEmpty()) {
                    batches.accept(records);
                  }
                }
              } catch (WakeupException e) {
                if (running) {
                  LOG.error("{} stopped", clientId, e);
                }
              } catch (RuntimeException e) {
                LOG.error("{} stopped: {}", clientId, e.getMessage(), e);
              } finally {
                consumer.close(Duration.ofSeconds(5));
              }
            },
            clientId);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
