package dev.portico.function.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.kafka.embedded.SecuredListener;
import dev.portico.testing.SecuredTestBroker;
import dev.portico.testing.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Node.js and Python SDKs configured from the PORTICO_KAFKA_* variables against a broker whose
 * client listener wants SASL_SSL (SCRAM-SHA-512 or PLAIN) and a certificate from a private
 * authority (the edge stays on the broker's PLAINTEXT listener): the hello example serves through
 * it, and a wrong password or an untrusted broker certificate stops start-up with exit 2 and a
 * message naming the variables, instead of a retry loop.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@Tag("integration")
class SecuredFunctionSdkTest {
  static final String PASSWORD = "sdk-scram-password";
  static final Path LOGS = Path.of("target/sdk-logs").toAbsolutePath();

  @TempDir static Path dir;
  static TestCertificates ca;
  static SecuredTestBroker kafka;
  static EdgeUnderTest edge;
  FunctionProcess function;
  String testName;

  @BeforeAll
  static void start() {
    ca = TestCertificates.authority(dir, "sdk");
    TestCertificates.Identity broker = ca.server("broker");
    kafka =
        SecuredTestBroker.start(
            port ->
                SecuredListener.tls(port, broker.keyStore(), TestCertificates.PASSWORD)
                    .sasl("SCRAM-SHA-512", "PLAIN")
                    .user("fn", PASSWORD));
    edge = new EdgeUnderTest(kafka.plainBootstrap(), "sdksec.");
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @org.junit.jupiter.api.BeforeEach
  void name(TestInfo info) {
    testName =
        info.getTestMethod().orElseThrow().getName()
            + info.getDisplayName().replaceAll("\\W+", "-");
  }

  @AfterEach
  void stopFunction() {
    if (function != null) {
      function.close();
    }
  }

  Map<String, String> env(String topic, String password, Path caFile, String mechanism) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_KAFKA_BOOTSTRAP", kafka.securedBootstrap());
    env.put("PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("PORTICO_KAFKA_SASL_MECHANISM", mechanism);
    env.put("PORTICO_KAFKA_SASL_USERNAME", "fn");
    env.put("PORTICO_KAFKA_SASL_PASSWORD", password);
    env.put("PORTICO_KAFKA_TLS_CA_FILE", caFile.toString());
    env.put("PORTICO_FUNCTION_TOPIC", topic);
    env.put("PORTICO_TOPIC_PARTITIONS", "2");
    return env;
  }

  FunctionProcess start(SdkLanguage language, Map<String, String> env) {
    function =
        FunctionProcess.start(
            language,
            language.example("hello"),
            env,
            LOGS.resolve(getClass().getSimpleName() + "." + testName + ".log"));
    return function;
  }

  /**
   * The SASL mechanism each SDK logs in with: SCRAM for kafkajs; PLAIN for Debian's librdkafka
   * 2.0.2, which fails every SCRAM login against Kafka 4 whatever the password (fixed in 2.6.1,
   * edenhill/kcat#462; the Python SDK's refusal message says so).
   */
  static String mechanism(SdkLanguage language) {
    return language == SdkLanguage.NODE ? "SCRAM-SHA-512" : "PLAIN";
  }

  @ParameterizedTest
  @EnumSource(SdkLanguage.class)
  void theHelloExampleServesOverSaslSsl(SdkLanguage language) {
    String mechanism = mechanism(language);
    String name = language.name().toLowerCase();
    String topic = "sdksec.fn.hello-" + name;
    FunctionProcess hello = start(language, env(topic, PASSWORD, ca.caFile(), mechanism));
    String stage = "sec-" + name;
    edge.deploy("hello-" + stage, FunctionSdkEndToEndTest.helloApi(topic, null), stage);
    HttpResponse<String>[] last = new HttpResponse[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .failFast(
            "the function exited",
            () -> {
              if (!hello.isAlive()) {
                throw new AssertionError(String.join("\n", FunctionProcess.tail(hello.log(), 40)));
              }
            })
        .until(
            () -> {
              last[0] = edge.get("/" + stage + "/hello/Ada");
              return last[0].statusCode() != 503;
            });
    assertEquals(200, last[0].statusCode(), last[0].body());
    assertEquals("{\"message\":\"Hello, Ada!\",\"stage\":\"" + stage + "\"}", last[0].body());
    assertFalse(hello.log().contains(PASSWORD), "the password is never logged");
  }

  @ParameterizedTest
  @EnumSource(SdkLanguage.class)
  void aWrongPasswordStopsStartUpWithExit2NamingTheVariables(SdkLanguage language) {
    String wrong = "wrong-" + PASSWORD;
    String mechanism = mechanism(language);
    FunctionProcess refused =
        start(language, env("sdksec.fn.refused", wrong, ca.caFile(), mechanism));
    OptionalInt status = refused.exitStatus(60);
    String log = refused.log();
    assertEquals(OptionalInt.of(2), status, log);
    assertTrue(
        log.contains(
            "Kafka refused the SASL credentials ("
                + mechanism
                + ") of"
                + " PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD"),
        log);
    assertFalse(log.contains(wrong), "the password is never logged:\n" + log);
  }

  @ParameterizedTest
  @EnumSource(SdkLanguage.class)
  void anUntrustedBrokerCertificateStopsStartUpWithExit2(SdkLanguage language) {
    Path otherCa = TestCertificates.authority(dir.resolve("other"), "other").caFile();
    FunctionProcess refused =
        start(language, env("sdksec.fn.untrusted", PASSWORD, otherCa, mechanism(language)));
    OptionalInt status = refused.exitStatus(60);
    String log = refused.log();
    assertEquals(OptionalInt.of(2), status, log);
    assertTrue(
        log.contains(
            "The TLS handshake with Kafka failed: the broker's certificate is not trusted by"
                + " PORTICO_KAFKA_TLS_CA_FILE"),
        log);
  }
}
