package dev.portico.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionResponse;
import dev.portico.kafka.embedded.SecuredListener;
import dev.portico.kit.client.KafkaSettingException;
import dev.portico.testing.SecuredTestBroker;
import dev.portico.testing.TestCertificates;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function configured from PORTICO_KAFKA_* variables serves over SASL_SSL with SCRAM (the test
 * edge stays on the broker's PLAINTEXT listener), and a wrong password stops it at once, named.
 */
@Timeout(120)
@Tag("integration")
class SecuredFunctionTest {
  static final String PASSWORD = "function-scram-password";

  @TempDir static Path dir;
  static TestCertificates ca;
  static SecuredTestBroker kafka;
  TestEdge edge;
  PorticoFunction function;

  @BeforeAll
  static void startBroker() {
    ca = TestCertificates.authority(dir, "function");
    TestCertificates.Identity broker = ca.server("broker");
    kafka =
        SecuredTestBroker.start(
            port ->
                SecuredListener.tls(port, broker.keyStore(), TestCertificates.PASSWORD)
                    .sasl("SCRAM-SHA-256")
                    .user("fn", PASSWORD));
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @AfterEach
  void stop() {
    if (function != null) {
      function.close();
    }
    if (edge != null) {
      edge.close();
    }
  }

  Map<String, String> env(String password) {
    return Map.of(
        "PORTICO_KAFKA_BOOTSTRAP",
        kafka.securedBootstrap(),
        "PORTICO_KAFKA_SECURITY_PROTOCOL",
        "SASL_SSL",
        "PORTICO_KAFKA_SASL_MECHANISM",
        "SCRAM-SHA-256",
        "PORTICO_KAFKA_SASL_USERNAME",
        "fn",
        "PORTICO_KAFKA_SASL_PASSWORD",
        password,
        "PORTICO_KAFKA_TLS_CA_FILE",
        ca.caFile().toString());
  }

  @Test
  void aFunctionConfiguredFromTheEnvironmentServesOverSaslSsl() {
    edge = new TestEdge(kafka::plainBootstrap);
    function =
        edge.function(
                "fn-secured",
                (request, context) -> FunctionResponse.json(200, "{\"secured\":true}", Map.of()))
            .kafkaFromEnvironment(env(PASSWORD))
            .build()
            .start();
    edge.request("ada");
    FunctionResponse response = TestEdge.response(edge.awaitReplies(1).get(0));
    assertEquals(200, response.statusCode());
    assertEquals("{\"secured\":true}", response.body());
  }

  @Test
  void aWrongPasswordStopsTheFunctionNamingTheVariables() {
    edge = new TestEdge(kafka::plainBootstrap);
    PorticoFunction refused =
        edge.function(
                "fn-refused", (request, context) -> FunctionResponse.json(200, "{}", Map.of()))
            .kafkaFromEnvironment(env("wrong-password"))
            .build();
    String message = assertThrows(KafkaSettingException.class, refused::run).getMessage();
    assertTrue(
        message.contains(
            "Kafka refused the SASL credentials (SCRAM-SHA-256) of"
                + " PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD"),
        message);
    assertFalse(message.contains("wrong-password"), message);
    assertFalse(refused.isRunning());
  }
}
