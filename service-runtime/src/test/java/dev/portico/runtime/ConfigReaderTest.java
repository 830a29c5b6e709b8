package dev.portico.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

  @Test
  void shouldUseDefaultsWhenNothingIsSet() {
    KafkaSettings kafka = KafkaSettings.read(new ConfigReader(Map.of()));
    assertEquals("127.0.0.1:9092", kafka.bootstrap());
    assertEquals("portico.", kafka.topicPrefix());
  }

  @Test
  void shouldNameTheVariableOfABadPort() {
    var env = new ConfigReader(Map.of("PORTICO_EDGE_PORT", "80a"));
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> HttpEndpoint.read(env, "PORTICO_EDGE_PORT", 8080));
    assertTrue(e.getMessage().contains("PORTICO_EDGE_PORT"), e.getMessage());
    assertTrue(e.getMessage().contains("80a"), e.getMessage());
  }

  @Test
  void shouldRejectValuesOutsideTheirRangeAtTheEdges() {
    var env = new ConfigReader(Map.of("X", "65536", "Y", "65535", "T", "49"));
    assertThrows(ConfigException.class, () -> env.port("X", 1));
    assertEquals(65535, env.port("Y", 1));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                env.millis(
                    "T", Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(29)));
    assertTrue(e.getMessage().contains("T"));
  }

  @Test
  void shouldRejectABootstrapThatIsNotHostPort() {
    var env = new ConfigReader(Map.of("PORTICO_KAFKA_BOOTSTRAP", "localhost"));
    ConfigException e = assertThrows(ConfigException.class, () -> KafkaSettings.read(env));
    assertTrue(e.getMessage().contains("PORTICO_KAFKA_BOOTSTRAP"));
  }

  @Test
  void shouldRejectAnUnknownBoolean() {
    var env = new ConfigReader(Map.of("B", "maybe"));
    assertThrows(ConfigException.class, () -> env.bool("B", true));
  }

  @Test
  void shouldRememberEveryNameItWasAskedFor() {
    var env = new ConfigReader(Map.of());
    KafkaSettings.read(env);
    assertTrue(env.namesRead().contains("PORTICO_TOPIC_PARTITIONS"));
  }
}
