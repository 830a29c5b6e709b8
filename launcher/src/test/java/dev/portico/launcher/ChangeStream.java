package dev.portico.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads a change-stream topic from the beginning as a read_committed consumer would. */
final class ChangeStream implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final List<JsonNode> records = new ArrayList<>();

  ChangeStream(String bootstrap, String topic) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + java.util.UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer());
    consumer.subscribe(List.of(topic));
  }

  /** Waits until at least {@code count} records have arrived and returns all seen so far. */
  List<JsonNode> awaitRecords(int count) {
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(parse(r.value())));
              return records.size() >= count;
            });
    return List.copyOf(records);
  }

  private static JsonNode parse(String value) {
    try {
      return Json.MAPPER.readTree(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
