package dev.portico.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A compacted topic held in memory, on a real broker. */
@ExtendWith(KafkaExtension.class)
@Timeout(60)
@Tag("integration")
class CompactedViewTest {

  @Test
  void shouldHoldTheTopicFollowItAndCatchUpOnDemand(TestKafka kafka) throws Exception {
    String topic = kafka.freshPrefix() + "view";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      send(producer, topic, "a", "1");
      send(producer, topic, "b", "2");
      send(producer, topic, "b", null);
      send(producer, topic, "c", "not a number");
      try (CompactedView<Integer> view =
          new CompactedView<>(topic, consumer(kafka), CompactedViewTest::number)) {
        // Read whole before the constructor returns; a tombstone removes, an unreadable value
        // is skipped.
        assertEquals(Map.of("a", 1), view.all());

        // A record written just before catchUp() is seen once its future completes, whichever
        // of a burst of callers' (shared) catch-ups it got.
        send(producer, topic, "d", "4");
        List<CompletableFuture<Void>> burst =
            List.of(view.catchUp(), view.catchUp(), view.catchUp());
        for (CompletableFuture<Void> done : burst) {
          done.get(10, TimeUnit.SECONDS);
        }
        assertEquals(Optional.of(4), view.get("d"));

        send(producer, topic, "e", "5");
        assertEquals(Optional.of(5), view.getFresh("e", Duration.ofSeconds(10)));
        assertEquals(Optional.empty(), view.getFresh("missing", Duration.ofSeconds(10)));
      }
    }
  }

  private static Integer number(byte[] value) {
    return Integer.valueOf(new String(value, StandardCharsets.UTF_8));
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, String value)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic, 0, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  private static KafkaConsumer<String, byte[]> consumer(TestKafka kafka) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
