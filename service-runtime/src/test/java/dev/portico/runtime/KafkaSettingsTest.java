package dev.portico.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the services read the Kafka client settings (the combinations: KafkaClientEnvironmentTest).
 */
class KafkaSettingsTest {
  private static final Map<String, String> SCRAM =
      Map.of(
          "PORTICO_KAFKA_BOOTSTRAP", "kafka-1:9096",
          "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
          "PORTICO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
          "PORTICO_KAFKA_SASL_USERNAME", "portico",
          "PORTICO_KAFKA_SASL_PASSWORD", "hunter2",
          "PORTICO_KAFKA_MAX_POLL_RECORDS", "100");

  @Test
  void everyClientStartsFromTheSecurityAndPassThroughProperties() {
    KafkaSettings kafka = KafkaSettings.read(new ConfigReader(SCRAM));
    Map<String, Object> props = kafka.clientProperties("portico-test");
    assertEquals("kafka-1:9096", props.get("bootstrap.servers"));
    assertEquals("portico-test", props.get("client.id"));
    assertEquals("SASL_PLAINTEXT", props.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", props.get("sasl.mechanism"));
    assertEquals("100", props.get("max.poll.records"));
    assertTrue(props.get("sasl.jaas.config").toString().contains("ScramLoginModule"));

    var streams = kafka.streamsProperties();
    assertEquals("SASL_PLAINTEXT", streams.get("security.protocol"));
    assertEquals("kafka-1:9096", streams.get("bootstrap.servers"));
  }

  @Test
  void theSettingsCanBeLoggedWithoutTheirSecrets() {
    String logged = KafkaSettings.read(new ConfigReader(SCRAM)).toString();
    assertFalse(logged.contains("hunter2"), logged);
    assertTrue(logged.contains("sasl.jaas.config=[hidden]"), logged);
  }

  @Test
  void aRefusedCombinationIsAConfigErrorNamingTheVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                KafkaSettings.read(
                    new ConfigReader(
                        Map.of(
                            "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                            "PORTICO_KAFKA_SASL_PASSWORD", "hunter2"))));
    assertEquals(
        "PORTICO_KAFKA_SASL_PASSWORD is set, so PORTICO_KAFKA_SASL_USERNAME is needed too",
        e.getMessage());
  }

  @Test
  void thePropertiesFileMayNameTheBootstrapServersAndTheVariableWins(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "bootstrap.servers=managed.example:9092\nlinger.ms=5\n");
    KafkaSettings fromFile =
        KafkaSettings.read(
            new ConfigReader(Map.of("PORTICO_KAFKA_PROPERTIES_FILE", file.toString())));
    assertEquals("managed.example:9092", fromFile.bootstrap());
    assertEquals("5", fromFile.clientProperties("c").get("linger.ms"));
    KafkaSettings fromVariable =
        KafkaSettings.read(
            new ConfigReader(
                Map.of(
                    "PORTICO_KAFKA_PROPERTIES_FILE",
                    file.toString(),
                    "PORTICO_KAFKA_BOOTSTRAP",
                    "other.example:9092")));
    assertEquals("other.example:9092", fromVariable.bootstrap());
  }

  @Test
  void passThroughVariablesCountAsRead() {
    ConfigReader env = new ConfigReader(SCRAM);
    KafkaSettings.read(env);
    assertTrue(
        env.namesRead().contains("PORTICO_KAFKA_MAX_POLL_RECORDS"), env.namesRead()::toString);
  }
}
