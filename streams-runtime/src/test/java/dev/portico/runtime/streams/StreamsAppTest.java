package dev.portico.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.runtime.KafkaSettings;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The properties every service's Streams application starts with. */
class StreamsAppTest {
  static final KafkaSettings KAFKA = new KafkaSettings("127.0.0.1:9092", "lab.", 4, (short) 3, 0);

  static StreamsApp.Builder app(Path stateDir) {
    return StreamsApp.builder("test app", KAFKA).applicationId("portico-test").stateDir(stateDir);
  }

  @Test
  void shouldStartExactlyOnceUnderThePrefixedApplicationIdWithItsStateAndReplication(
      @TempDir Path dir) {
    Properties p = app(dir).properties();
    assertEquals("lab.portico-test", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals(dir.toAbsolutePath().toString(), p.get(StreamsConfig.STATE_DIR_CONFIG));
    assertEquals(3, p.get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
    assertEquals("127.0.0.1:9092", p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
  }

  @Test
  void shouldGiveEachStreamThreadAStaticMemberIdKeptInTheStateDirectory(@TempDir Path dir) {
    StreamsConfig config = new StreamsConfig(app(dir).properties());
    Object thread1 =
        config
            .getMainConsumerConfigs("lab.portico-test", "c", 1)
            .get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    Object thread2 =
        config
            .getMainConsumerConfigs("lab.portico-test", "c", 2)
            .get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    assertTrue(thread1 instanceof String id && id.endsWith("-1"), String.valueOf(thread1));
    assertNotEquals(thread1, thread2);
    // A restart on the same state is the same member.
    assertEquals(
        thread1,
        new StreamsConfig(app(dir).properties())
            .getMainConsumerConfigs("lab.portico-test", "c", 1)
            .get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    // Consumers outside the group have none.
    assertFalse(
        config.getRestoreConsumerConfigs("c").containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
  }

  @Test
  void shouldGiveReplicasOnOtherStateDirectoriesOtherMemberIds(@TempDir Path a, @TempDir Path b) {
    assertNotEquals(
        app(a).properties().get(StreamsConfig.consumerPrefix("group.instance.id")),
        app(b).properties().get(StreamsConfig.consumerPrefix("group.instance.id")));
  }

  @Test
  void shouldUseAConfiguredInstanceId(@TempDir Path dir) {
    Properties p = app(dir).instanceId("metrics-0").properties();
    assertEquals(
        "metrics-0-1",
        new StreamsConfig(p)
            .getMainConsumerConfigs("lab.portico-test", "c", 1)
            .get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
  }

  @Test
  void shouldKeepTheServicesOwnSettingsButNotLetThemWeakenTheGuarantee(@TempDir Path dir) {
    Properties p =
        app(dir)
            .settings(
                own -> {
                  own.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20L);
                  own.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
                })
            .properties();
    assertEquals(20L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
  }
}
