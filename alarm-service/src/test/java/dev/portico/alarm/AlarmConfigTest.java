package dev.portico.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.runtime.ConfigException;
import dev.portico.runtime.ConfigReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlarmConfigTest {
  @Test
  void shouldDefaultToLocalModeOnTheDocumentedPort() {
    AlarmConfig config = AlarmConfig.read(new ConfigReader(Map.of()));
    assertEquals(8094, config.http().port());
    assertFalse(config.smtp().configured(), "no SMTP host: email is kept, not sent");
    assertEquals("optional", config.smtp().startTls());
    assertEquals(
        Duration.ofSeconds(7).toMillis(),
        config
            .deadline()
            .delayMillis(Definitions.metric("a", "GreaterThanThreshold", 1, 10, 1, 1, "missing")),
        "a 10 s period is final 5 s (the 1-second tier's grace) + 2 s (margin) after its end");
    assertEquals(
        Duration.ofSeconds(62).toMillis(),
        config.deadline().delayMillis(Definitions.lab()),
        "a 60 s period is final 60 s (the 1-minute tier's grace) + 2 s after its end");
    assertEquals("http://localhost:8094", config.publicUrl());
    assertEquals("Portico", config.clusterName());
  }

  @Test
  void shouldTrimTheTrailingSlashOfThePublicUrlAndHideThePassword() {
    AlarmConfig config =
        AlarmConfig.read(
            new ConfigReader(
                Map.of(
                    "PORTICO_ALARM_PUBLIC_URL", "https://alarms.example.com/",
                    "PORTICO_SMTP_HOST", "smtp.example.com",
                    "PORTICO_SMTP_PASSWORD", "s3cret")));
    assertEquals("https://alarms.example.com", config.publicUrl());
    assertTrue(config.smtp().configured());
    assertFalse(config.smtp().toString().contains("s3cret"));
  }

  @ParameterizedTest
  @CsvSource({
    "PORTICO_SMTP_STARTTLS, sometimes",
    "PORTICO_SMTP_PORT, 0",
    "PORTICO_SMTP_FROM, not an address",
    "PORTICO_SMTP_CA_FILE, /no/such/ca.pem",
    "PORTICO_SMTP_CA_FILE, pom.xml",
    "PORTICO_ALARM_PUBLIC_URL, ftp://example.com",
    "PORTICO_ALARM_DELIVERY_MAX_ATTEMPTS, 0",
    "PORTICO_ALARM_DATAPOINT_MARGIN_MS, -1",
    "PORTICO_METRICS_GRACE_MS, -1",
    "PORTICO_ALARM_COMMIT_INTERVAL_MS, 0",
  })
  void shouldNameTheVariableOfABadValue(String name, String value) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> AlarmConfig.read(new ConfigReader(Map.of(name, value))));
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }
}
