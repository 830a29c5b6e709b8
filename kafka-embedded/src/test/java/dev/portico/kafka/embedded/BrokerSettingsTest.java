package dev.portico.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The single node keeps its settings; a cluster's node replicates and keeps Kafka's sessions. */
class BrokerSettingsTest {
  static final Path DIR = Path.of("/tmp/portico-settings-test");

  @Test
  void theSingleNodeReplicatesNothingAndHasAShortSession() {
    Properties p = BrokerSettings.defaults(DIR).toProperties();
    assertEquals("1", p.getProperty("node.id"));
    assertEquals("1@127.0.0.1:9093", p.getProperty("controller.quorum.voters"));
    assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
    assertEquals("3000", p.getProperty("broker.session.timeout.ms"));
    assertFalse(p.containsKey("min.insync.replicas"));
  }

  @Test
  void everyNodeKeepsWhatACrashReReadsSmall() {
    Properties single = BrokerSettings.defaults(DIR).toProperties();
    Properties clusterNode =
        ChildProcessKafkaCluster.settings(
                "127.0.0.1", DIR, List.of(19001, 19002, 19003), List.of(19011, 19012, 19013))
            .get(0)
            .toProperties();
    for (Properties p : List.of(single, clusterNode)) {
      assertEquals("8388608", p.getProperty("log.segment.bytes"));
      assertEquals("8388608", p.getProperty("transaction.state.log.segment.bytes"));
      assertEquals("5000", p.getProperty("log.flush.offset.checkpoint.interval.ms"));
    }
  }

  @Test
  void aClusterNodeReplicatesEverythingThreeTimesAndKeepsKafkasSessions() {
    List<BrokerSettings> nodes =
        ChildProcessKafkaCluster.settings(
            "127.0.0.1", DIR, List.of(19001, 19002, 19003), List.of(19011, 19012, 19013));
    Properties p = nodes.get(1).toProperties();
    assertEquals("2", p.getProperty("node.id"));
    assertEquals(
        "1@127.0.0.1:19011,2@127.0.0.1:19012,3@127.0.0.1:19013",
        p.getProperty("controller.quorum.voters"));
    assertEquals(DIR.resolve("node-2").toString(), p.getProperty("log.dirs"));
    for (String replicas :
        List.of(
            "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor",
            "share.coordinator.state.topic.replication.factor",
            "default.replication.factor")) {
      assertEquals("3", p.getProperty(replicas), replicas);
    }
    for (String minInsync :
        List.of(
            "transaction.state.log.min.isr",
            "share.coordinator.state.topic.min.isr",
            "min.insync.replicas")) {
      assertEquals("2", p.getProperty(minInsync), minInsync);
    }
    assertFalse(p.containsKey("broker.session.timeout.ms"), "Kafka's default");
    assertEquals(nodes.get(0).quorum().clusterId(), nodes.get(2).quorum().clusterId());
  }

  @Test
  void aQuorumCannotAskForMoreInSyncReplicasThanItHas() {
    assertThrows(IllegalArgumentException.class, () -> new Quorum(1, "id", "1@h:1", 3, 4));
    assertThrows(IllegalArgumentException.class, () -> new Quorum(1, "id", "1@h:1", 3, 0));
  }
}
