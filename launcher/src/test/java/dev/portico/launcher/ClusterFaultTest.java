package dev.portico.launcher;

import dev.portico.kafka.embedded.ChildProcessKafkaCluster;
import dev.portico.testing.TestKafkaCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/** {@link ClusterFaultScenario} with the services on the brokers' PLAINTEXT listeners. */
@Timeout(900)
@Tag("integration")
class ClusterFaultTest extends ClusterFaultScenario {
  @Override
  ChildProcessKafkaCluster startCluster(Path dir) {
    return TestKafkaCluster.start(dir);
  }

  @Override
  Map<String, String> kafkaVariables(ChildProcessKafkaCluster cluster) {
    return Map.of("PORTICO_KAFKA_BOOTSTRAP", cluster.bootstrapServers());
  }

  @Override
  String variant() {
    return "PLAINTEXT";
  }
}
