package dev.portico.kit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.kafka.embedded.SecuredListener;
import dev.portico.testing.FreePorts;
import dev.portico.testing.SecuredTestBroker;
import dev.portico.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of {@link KafkaClientEnvironment} against a real broker with a secured listener:
 * accepted settings carry records there and back, refused ones stop at the first contact with a
 * message naming the variables, never a retry loop, never a secret.
 */
@Timeout(120)
@Tag("integration")
class SecuredKafkaTest {
  private static final String PASSWORD = TestCertificates.PASSWORD;
  private static final String USER_PASSWORD = "scram-user-password";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Logger LOG = LoggerFactory.getLogger(SecuredKafkaTest.class);

  @TempDir static Path dir;
  static TestCertificates ca;
  static TestCertificates stranger;
  static TestCertificates.Identity broker;
  static TestCertificates.Identity client;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.authority(dir, "portico");
    stranger = TestCertificates.authority(dir, "stranger");
    broker = ca.server("broker");
    client = ca.client("portico-client");
  }

  static Map<String, String> env(String bootstrap, String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put(KafkaClientEnvironment.BOOTSTRAP, bootstrap);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  static Map<String, Object> clientProperties(Map<String, String> env, KafkaClientProperties p) {
    Map<String, Object> props = p.toMap();
    props.put("bootstrap.servers", env.get(KafkaClientEnvironment.BOOTSTRAP));
    props.put("client.id", "secured-test");
    return props;
  }

  /** The first contact, as a service makes it at start-up. */
  static KafkaAccessCheck.Outcome connect(Map<String, String> env) {
    KafkaClientProperties p = KafkaClientEnvironment.read(env);
    return KafkaAccessCheck.verify(clientProperties(env, p), p, TIMEOUT);
  }

  /** The refusal's message at the first contact; it never holds a secret. */
  static String refusal(Map<String, String> env) {
    String message = assertThrows(KafkaSettingException.class, () -> connect(env)).getMessage();
    assertFalse(message.contains(USER_PASSWORD), message);
    assertFalse(message.contains("wrong-password"), message);
    assertFalse(message.contains(PASSWORD), message);
    return message;
  }

  static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), () -> "expected <" + expected + "> in <" + actual + ">");
  }

  /**
   * Writes a record through the secured listener with an idempotent, transactional producer and
   * reads it back read_committed, as Portico's exactly-once loops do.
   */
  static void roundTrip(SecuredTestBroker kafka, Map<String, String> env) throws Exception {
    assertEquals(KafkaAccessCheck.Outcome.REACHED, connect(env));
    String topic = "secured-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.plainBootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    KafkaClientProperties p = KafkaClientEnvironment.read(env);
    Map<String, Object> producerProps = clientProperties(env, p);
    producerProps.put("transactional.id", topic);
    String value = "over " + p.securityProtocol();
    try {
      commitOne(producerProps, topic, value);
    } catch (InvalidTxnStateException | ProducerFencedException endedByTheCoordinator) {
      // The coordinator can end a transaction itself (its timeout scan aborts one it takes for
      // expired, as after a step of the wall clock) and bump the producer's epoch; the commit is
      // then refused with one of these (KAFKA-20785) and the producer is done. Portico's loops
      // take a new producer, whose initTransactions() settles the old transaction
      // (TransactionalLoop.renewProducerWith); so does this round trip, once. The aborted record
      // is invisible to the read_committed reader below.
      LOG.warn(
          "The transaction coordinator ended the transaction; once more", endedByTheCoordinator);
      commitOne(producerProps, topic, value);
    }
    Map<String, Object> consumerProps = clientProperties(env, p);
    consumerProps.put("group.id", topic);
    consumerProps.put("auto.offset.reset", "earliest");
    consumerProps.put("isolation.level", "read_committed");
    try (var consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          assertEquals(value, records.iterator().next().value());
          return;
        }
      }
    }
    throw new AssertionError("the record did not come back through " + kafka.securedBootstrap());
  }

  /** One transaction with one record, by a new transactional producer. */
  static void commitOne(Map<String, Object> producerProps, String topic, String value) {
    try (var producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", value));
      producer.commitTransaction();
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Tls {
    SecuredTestBroker kafka;

    @BeforeAll
    void start() {
      kafka =
          SecuredTestBroker.start(port -> SecuredListener.tls(port, broker.keyStore(), PASSWORD));
    }

    @AfterAll
    void stop() {
      kafka.close();
    }

    @Test
    void aBrokerCertificateFromThePemAuthorityIsTrusted() throws Exception {
      roundTrip(
          kafka,
          env(
              kafka.securedBootstrap(),
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE",
              ca.caFile().toString()));
    }

    @Test
    void aTrustStoreWorksAsWellAndSoDoesTheHostNameLocalhost() throws Exception {
      roundTrip(
          kafka,
          env(
              kafka.securedBootstrap().replace("127.0.0.1", "localhost"),
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_TRUSTSTORE_FILE",
              ca.trustStore().toString(),
              "PORTICO_KAFKA_TLS_TRUSTSTORE_PASSWORD",
              PASSWORD));
    }

    @Test
    void aBrokerCertificateFromAnotherAuthorityStopsStartUpNamingTheCaFile() {
      assertContains(
          "The TLS handshake with Kafka failed: the broker's certificate is not trusted by"
              + " PORTICO_KAFKA_TLS_CA_FILE",
          refusal(
              env(
                  kafka.securedBootstrap(),
                  "PORTICO_KAFKA_SECURITY_PROTOCOL",
                  "SSL",
                  "PORTICO_KAFKA_TLS_CA_FILE",
                  stranger.caFile().toString())));
    }

    @Test
    void withoutACaFileTheJvmsTrustStoreIsUsedAndSaidSo() {
      assertContains(
          "not trusted by the JVM's trust store (set PORTICO_KAFKA_TLS_CA_FILE)",
          refusal(env(kafka.securedBootstrap(), "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL")));
    }

    @Test
    void plaintextAgainstTheTlsListenerIsNotASettingsRefusalButUnreachable() {
      // Kafka cannot tell this apart from a broker that does not answer: /ready reports it.
      assertEquals(
          KafkaAccessCheck.Outcome.UNREACHABLE,
          KafkaAccessCheck.verify(
              Map.of("bootstrap.servers", kafka.securedBootstrap(), "client.id", "plain"),
              KafkaClientProperties.plain(),
              Duration.ofSeconds(3)));
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class MutualTls {
    SecuredTestBroker kafka;

    @BeforeAll
    void start() {
      kafka =
          SecuredTestBroker.start(
              port ->
                  SecuredListener.tls(port, broker.keyStore(), PASSWORD)
                      .requireClientCertificates(ca.trustStore(), PASSWORD));
    }

    @AfterAll
    void stop() {
      kafka.close();
    }

    @Test
    void aClientCertificateFromPemFiles() throws Exception {
      roundTrip(
          kafka,
          env(
              kafka.securedBootstrap(),
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE",
              ca.caFile().toString(),
              "PORTICO_KAFKA_TLS_CERT_FILE",
              client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE",
              client.encryptedKey().toString(),
              "PORTICO_KAFKA_TLS_KEY_PASSWORD",
              PASSWORD));
    }

    @Test
    void aClientCertificateFromAKeyStore() throws Exception {
      roundTrip(
          kafka,
          env(
              kafka.securedBootstrap(),
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE",
              ca.caFile().toString(),
              "PORTICO_KAFKA_TLS_KEYSTORE_FILE",
              client.keyStore().toString(),
              "PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD",
              PASSWORD));
    }

    @Test
    void noClientCertificateIsRefusedNamingTheVariablesToSet() {
      assertContains(
          "the broker refused this client's certificate (none is set: PORTICO_KAFKA_TLS_CERT_FILE,"
              + " PORTICO_KAFKA_TLS_KEY_FILE)",
          refusal(
              env(
                  kafka.securedBootstrap(),
                  "PORTICO_KAFKA_SECURITY_PROTOCOL",
                  "SSL",
                  "PORTICO_KAFKA_TLS_CA_FILE",
                  ca.caFile().toString())));
    }

    @Test
    void aClientCertificateTheBrokerDoesNotTrustIsRefusedNamingIt() {
      TestCertificates.Identity unknown = stranger.client("intruder");
      assertContains(
          "the broker refused this client's certificate (PORTICO_KAFKA_TLS_CERT_FILE,"
              + " PORTICO_KAFKA_TLS_KEY_FILE)",
          refusal(
              env(
                  kafka.securedBootstrap(),
                  "PORTICO_KAFKA_SECURITY_PROTOCOL",
                  "SSL",
                  "PORTICO_KAFKA_TLS_CA_FILE",
                  ca.caFile().toString(),
                  "PORTICO_KAFKA_TLS_CERT_FILE",
                  unknown.certificate().toString(),
                  "PORTICO_KAFKA_TLS_KEY_FILE",
                  unknown.key().toString())));
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class SaslSslScram {
    SecuredTestBroker kafka;

    @BeforeAll
    void start() {
      kafka =
          SecuredTestBroker.start(
              port ->
                  SecuredListener.tls(port, broker.keyStore(), PASSWORD)
                      .sasl("SCRAM-SHA-256", "SCRAM-SHA-512")
                      .user("portico", USER_PASSWORD));
    }

    @AfterAll
    void stop() {
      kafka.close();
    }

    Map<String, String> scram(String mechanism, String password) {
      return env(
          kafka.securedBootstrap(),
          "PORTICO_KAFKA_SECURITY_PROTOCOL",
          "SASL_SSL",
          "PORTICO_KAFKA_SASL_MECHANISM",
          mechanism,
          "PORTICO_KAFKA_SASL_USERNAME",
          "portico",
          "PORTICO_KAFKA_SASL_PASSWORD",
          password,
          "PORTICO_KAFKA_TLS_CA_FILE",
          ca.caFile().toString());
    }

    @Test
    void scramSha256() throws Exception {
      roundTrip(kafka, scram("SCRAM-SHA-256", USER_PASSWORD));
    }

    @Test
    void scramSha512() throws Exception {
      roundTrip(kafka, scram("SCRAM-SHA-512", USER_PASSWORD));
    }

    @Test
    void aWrongPasswordStopsStartUpNamingTheVariables() {
      assertContains(
          "Kafka refused the SASL credentials (SCRAM-SHA-512) of"
              + " PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD",
          refusal(scram("SCRAM-SHA-512", "wrong-password")));
    }

    @Test
    void aMechanismTheListenerDoesNotOfferIsRefusedNamingIt() {
      assertContains(
          "Kafka does not offer the SASL mechanism PLAIN (PORTICO_KAFKA_SASL_MECHANISM)",
          refusal(scram("PLAIN", USER_PASSWORD)));
    }
  }

  @Test
  void kafkaThatDoesNotAnswerIsNoSettingsProblem() {
    Map<String, String> env =
        env(
            "127.0.0.1:" + FreePorts.next(),
            "PORTICO_KAFKA_SECURITY_PROTOCOL",
            "SASL_SSL",
            "PORTICO_KAFKA_SASL_MECHANISM",
            "SCRAM-SHA-512",
            "PORTICO_KAFKA_SASL_USERNAME",
            "portico",
            "PORTICO_KAFKA_SASL_PASSWORD",
            USER_PASSWORD);
    KafkaClientProperties p = KafkaClientEnvironment.read(env);
    assertEquals(
        KafkaAccessCheck.Outcome.UNREACHABLE,
        KafkaAccessCheck.verify(clientProperties(env, p), p, Duration.ofSeconds(2)));
  }
}
