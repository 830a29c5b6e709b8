package dev.portico.launcher;

import dev.portico.kafka.embedded.ChildProcessKafkaCluster;
import dev.portico.kafka.embedded.SecuredListener;
import dev.portico.testing.TestCertificates;
import dev.portico.testing.TestKafkaCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ClusterFaultScenario} against brokers whose client listener requires SASL_SSL with
 * SCRAM-SHA-512: every service connects with the PORTICO_KAFKA_* settings a secured cluster needs
 * (the brokers replicate among themselves on their loopback PLAINTEXT listener).
 */
@Timeout(900)
@Tag("integration")
class SecuredClusterFaultTest extends ClusterFaultScenario {
  static final String PASSWORD = "portico-cluster-scram-password";
  private TestCertificates ca;

  @Override
  ChildProcessKafkaCluster startCluster(Path dir) {
    ca = TestCertificates.authority(dir.getParent(), "cluster");
    TestCertificates.Identity broker = ca.server("broker");
    return TestKafkaCluster.start(
        dir,
        port ->
            SecuredListener.tls(port, broker.keyStore(), TestCertificates.PASSWORD)
                .sasl("SCRAM-SHA-512")
                .user("portico", PASSWORD));
  }

  @Override
  Map<String, String> kafkaVariables(ChildProcessKafkaCluster cluster) {
    return Map.of(
        "PORTICO_KAFKA_BOOTSTRAP",
        cluster.securedBootstrapServers(),
        "PORTICO_KAFKA_SECURITY_PROTOCOL",
        "SASL_SSL",
        "PORTICO_KAFKA_SASL_MECHANISM",
        "SCRAM-SHA-512",
        "PORTICO_KAFKA_SASL_USERNAME",
        "portico",
        "PORTICO_KAFKA_SASL_PASSWORD",
        PASSWORD,
        "PORTICO_KAFKA_TLS_CA_FILE",
        ca.caFile().toString());
  }

  @Override
  String variant() {
    return "SASL_SSL + SCRAM-SHA-512";
  }
}
