package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.kafka.embedded.SecuredListener;
import dev.portico.kit.client.KafkaSettingException;
import dev.portico.testing.FreePorts;
import dev.portico.testing.SecuredTestBroker;
import dev.portico.testing.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite on a Kafka that wants SASL_SSL with SCRAM-SHA-512 (a secured listener of the embedded
 * broker): every service connects with the PORTICO_KAFKA_* settings and serves; a service given a
 * wrong password or a CA that does not sign the broker's certificate exits 2 naming the variables,
 * and no secret reaches a log.
 */
@Timeout(300)
@Tag("integration")
class SecuredKafkaEndToEndTest {
  static final String USER_PASSWORD = "portico-scram-password";

  @TempDir static Path dir;
  static TestCertificates ca;
  static TestCertificates stranger;
  static SecuredTestBroker kafka;

  @BeforeAll
  static void startBroker() {
    ca = TestCertificates.authority(dir, "portico");
    stranger = TestCertificates.authority(dir, "stranger");
    TestCertificates.Identity broker = ca.server("broker");
    kafka =
        SecuredTestBroker.start(
            port ->
                SecuredListener.tls(port, broker.keyStore(), TestCertificates.PASSWORD)
                    .sasl("SCRAM-SHA-512")
                    .user("portico", USER_PASSWORD));
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** The secured connection's variables, with this password and CA file. */
  static Map<String, String> secured(String password, Path caFile) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.securedBootstrap());
    env.put("PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("PORTICO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("PORTICO_KAFKA_SASL_USERNAME", "portico");
    env.put("PORTICO_KAFKA_SASL_PASSWORD", password);
    env.put("PORTICO_KAFKA_TLS_CA_FILE", caFile.toString());
    return env;
  }

  @Test
  void everyServiceServesOverSaslSslWithScram() throws Exception {
    Map<String, String> env = new HashMap<>(secured(USER_PASSWORD, ca.caFile()));
    env.put("PORTICO_EMBEDDED_KAFKA", "false");
    env.put("PORTICO_DATA_DIR", dir.resolve("suite").toString());
    env.put("PORTICO_TOPIC_PREFIX", "secured.");
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    for (String port :
        new String[] {
          "PORTICO_EDGE_PORT",
          "PORTICO_EDGE_OPS_PORT",
          "PORTICO_EDGE_DYNAMODB_PORT",
          "PORTICO_CUSTOMER_OPS_PORT",
          "PORTICO_STREAM_PORT",
          "PORTICO_METRICS_PORT",
          "PORTICO_ALARM_PORT"
        }) {
      env.put(port, Integer.toString(FreePorts.next()));
    }
    try (PorticoLauncher launcher = PorticoLauncher.start(env)) {
      assertEquals(5, launcher.services().size());
      for (String port :
          new String[] {
            "PORTICO_EDGE_OPS_PORT",
            "PORTICO_CUSTOMER_OPS_PORT",
            "PORTICO_STREAM_PORT",
            "PORTICO_METRICS_PORT",
            "PORTICO_ALARM_PORT"
          }) {
        assertEquals(
            200, Http.get("http://127.0.0.1:" + env.get(port) + "/ready").statusCode(), port);
      }
      String edge = "http://127.0.0.1:" + env.get("PORTICO_EDGE_PORT");
      HttpResponse<String> created =
          Http.postJson(edge + "/prod/customer", FirstRequestEndToEndTest.LAB_ITEM);
      assertEquals(201, created.statusCode(), created.body());
      HttpResponse<String> read = Http.get(edge + "/prod/customer/1230AWS");
      assertEquals(200, read.statusCode(), read.body());
      assertTrue(read.body().contains("KilDong"), read.body());
    }
  }

  @Test
  void theLauncherRefusesAWrongPasswordBeforeStartingAnything() {
    Map<String, String> env = new HashMap<>(secured("wrong-password", ca.caFile()));
    env.put("PORTICO_EMBEDDED_KAFKA", "false");
    env.put("PORTICO_DATA_DIR", dir.resolve("refused").toString());
    KafkaSettingException e =
        assertThrows(KafkaSettingException.class, () -> PorticoLauncher.start(env));
    assertTrue(
        e.getMessage()
            .contains(
                "Kafka refused the SASL credentials (SCRAM-SHA-512) of"
                    + " PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD"),
        e.getMessage());
    assertFalse(e.getMessage().contains("wrong-password"), e.getMessage());
  }

  @Test
  void aServiceWithTheRightSettingsGetsReadyAndLogsNoSecret() throws Exception {
    int port = FreePorts.next();
    Path log = dir.resolve("stream-ok.log");
    Map<String, String> env = new HashMap<>(secured(USER_PASSWORD, ca.caFile()));
    env.put("PORTICO_LOG_LEVEL", "DEBUG");
    Process service = startStreamService(env, port, log);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .failFast("stream-service exited; see " + log, () -> !service.isAlive())
          .until(() -> Http.get("http://127.0.0.1:" + port + "/ready").statusCode() == 200);
    } finally {
      service.destroy();
      service.waitFor(30, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    assertTrue(output.contains("stream-service started"), "the service logs: " + log);
    assertFalse(output.contains(USER_PASSWORD), "the password is in " + log);
  }

  @Test
  void aServiceGivenAWrongPasswordExitsTwoNamingTheVariables() throws Exception {
    String output = exitsTwo(secured("wrong-password", ca.caFile()), "stream-wrong-password.log");
    assertTrue(
        output.contains(
            "Kafka refused the SASL credentials (SCRAM-SHA-512) of"
                + " PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD"),
        output);
    assertFalse(output.contains("wrong-password"), output);
  }

  @Test
  void aServiceThatDoesNotTrustTheBrokersCertificateExitsTwoNamingTheCaFile() throws Exception {
    String output = exitsTwo(secured(USER_PASSWORD, stranger.caFile()), "stream-untrusted.log");
    assertTrue(
        output.contains(
            "The TLS handshake with Kafka failed: the broker's certificate is not trusted by"
                + " PORTICO_KAFKA_TLS_CA_FILE"),
        output);
    assertFalse(output.contains(USER_PASSWORD), output);
  }

  /** Runs stream-service with {@code env} until it exits; asserts code 2, returns its output. */
  static String exitsTwo(Map<String, String> env, String logName) throws Exception {
    Path log = dir.resolve(logName);
    Process service = startStreamService(env, FreePorts.next(), log);
    try {
      assertTrue(service.waitFor(90, TimeUnit.SECONDS), "stream-service did not stop: " + log);
    } finally {
      service.destroyForcibly();
    }
    String output = Files.readString(log);
    assertEquals(2, service.exitValue(), output);
    return output;
  }

  static Process startStreamService(Map<String, String> kafkaEnv, int port, Path log)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.portico.stream.StreamMain")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("PORTICO_"));
    env.putAll(kafkaEnv);
    env.put("PORTICO_TOPIC_PREFIX", "secured-child.");
    env.put("PORTICO_HTTP_HOST", "127.0.0.1");
    env.put("PORTICO_STREAM_PORT", Integer.toString(port));
    return builder.start();
  }
}
