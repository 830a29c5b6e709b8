package dev.portico.kit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bounded reads on a real broker. */
@ExtendWith(KafkaExtension.class)
@Timeout(60)
@Tag("integration")
class ReplayTest {

  @Test
  void shouldReadATransactionalTopicToItsEndThoughItEndsWithAMarker(TestKafka kafka)
      throws Exception {
    String topic = kafka.freshPrefix() + "tx";
    TransactionalLoopTest.createTopics(kafka, topic);
    Map<String, Object> p =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            topic + "-writer");
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, "k-" + i, "v"));
      }
      producer.commitTransaction();
    }
    List<String> keys = new ArrayList<>();
    try (var consumer = consumer(kafka)) {
      List<TopicPartition> partitions =
          List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
      // The commit markers are written just after commitTransaction returns; until then the
      // records are not stable and a read_committed replay ends before them.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sum(consumer.endOffsets(partitions)) == 12);
      Map<TopicPartition, Long> ends =
          Replay.fromBeginning(
              consumer, partitions, batch -> batch.forEach(r -> keys.add(r.key())));
      assertEquals(10, keys.size());
      // The ends count the commit markers, which are never returned as records.
      assertEquals(12, sum(ends));
      for (TopicPartition tp : partitions) {
        assertEquals(ends.get(tp), consumer.position(tp), "positioned to tail " + tp);
      }
    }
  }

  @Test
  void shouldStopWhenTheSinkHasWhatItWantsOrTheTimeRunsOut(TestKafka kafka) throws Exception {
    String topic = kafka.freshPrefix() + "range";
    TransactionalLoopTest.createTopics(kafka, topic);
    TransactionalLoopTest.send(kafka, topic, 50);
    TopicPartition tp = new TopicPartition(topic, 0);
    try (var consumer = consumer(kafka)) {
      consumer.assign(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      consumer.seekToBeginning(List.of(tp));
      List<Long> seen = new ArrayList<>();
      assertTrue(
          Replay.read(
              consumer,
              Map.of(tp, end),
              Duration.ofSeconds(10),
              batch -> {
                batch.forEach(r -> seen.add(r.offset()));
                return false;
              }));
      assertFalse(seen.isEmpty());
      assertTrue(seen.size() <= 5, "stopped after the first batch: " + seen);

      long started = System.nanoTime();
      assertFalse(
          Replay.read(consumer, Map.of(tp, end + 5), Duration.ofMillis(500), batch -> true),
          "an end that is never reached: the time runs out");
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos());
    }
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static KafkaConsumer<String, String> consumer(TestKafka kafka) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5),
        new StringDeserializer(),
        new StringDeserializer());
  }
}
