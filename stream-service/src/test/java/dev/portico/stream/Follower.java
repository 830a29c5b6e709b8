package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every committed record of one topic, from its beginning, read continuously on a background thread
 * into {@link #seen}, each with its key and the moment it arrived.
 */
final class Follower implements AutoCloseable {
  /** One record as the follower received it. */
  record Seen(String key, JsonNode value, long arrivedNanos) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Thread thread;

  Follower(String bootstrapServers, String topic) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                10),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  for (var r : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(new Seen(r.key(), Json.MAPPER.readTree(r.value()), System.nanoTime()));
                  }
                }
              } catch (InterruptException e) {
                // test over
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                consumer.close();
              }
            },
            "test-follower");
    thread.setDaemon(true);
    thread.start();
  }

  /** The values of the records with this key, in the order they came. */
  List<JsonNode> values(String key) {
    return seen.stream().filter(s -> s.key().equals(key)).map(Seen::value).toList();
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(10_000);
  }
}
