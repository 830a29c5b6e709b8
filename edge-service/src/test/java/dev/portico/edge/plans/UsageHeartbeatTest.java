package dev.portico.edge.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.Topics;
import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.KafkaSettings;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica flushes its counts often (every 50 ms here) but heartbeats only once per fifth of the
 * liveness window: each record wakes every replica's reader, and an idle edge sent five a second.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class UsageHeartbeatTest {
  @Test
  void shouldHeartbeatOncePerFifthOfTheLivenessWindowNotOncePerFlush(TestKafka kafka) {
    KafkaSettings settings =
        KafkaSettings.read(
            new ConfigReader(
                Map.of(
                    "PORTICO_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "PORTICO_TOPIC_PREFIX", kafka.freshPrefix())));
    TopicProvisioner.ensure(settings, List.of(Topics.EDGE_USAGE));
    String topic = settings.topic(Topics.EDGE_USAGE);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    List<String> keys = new ArrayList<>();
    try (UsageLedger ledger =
            new UsageLedger(
                settings, topic, "0", clock, Duration.ofMillis(50), Duration.ofSeconds(5));
        KafkaConsumer<String, String> reader =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed"),
                new StringDeserializer(),
                new StringDeserializer())) {
      reader.assign(List.of(new TopicPartition(topic, 0)));
      reader.seekToBeginning(List.of(new TopicPartition(topic, 0)));
      ledger.start(); // one heartbeat at start
      ledger.record("k");
      awaitCountOf(reader, keys, "usage/k/2026-12-06/0", 1);
      // A later flush, after the one that published k: anything that flush sent after k is
      // before m (one producer, one partition).
      ledger.record("m");
      awaitCountOf(reader, keys, "usage/m/2026-12-06/0", 1);
      assertEquals(1, heartbeats(keys), () -> "the clock did not move: no beat; records " + keys);

      clock.set(clock.instant().plusMillis(ledger.heartbeatEvery()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> poll(reader, keys) && heartbeats(keys) >= 2);
      ledger.record("m");
      awaitCountOf(reader, keys, "usage/m/2026-12-06/0", 2);
      assertEquals(2, heartbeats(keys), () -> "a fifth of 5 s later, one beat: " + keys);
    }
  }

  private static long heartbeats(List<String> keys) {
    return keys.stream().filter("replica/0"::equals).count();
  }

  private static boolean poll(KafkaConsumer<String, String> reader, List<String> keys) {
    reader.poll(Duration.ofMillis(100)).forEach(r -> keys.add(r.key()));
    return true;
  }

  private static void awaitCountOf(
      KafkaConsumer<String, String> reader, List<String> keys, String key, long count) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> poll(reader, keys) && keys.stream().filter(key::equals).count() >= count);
  }
}
