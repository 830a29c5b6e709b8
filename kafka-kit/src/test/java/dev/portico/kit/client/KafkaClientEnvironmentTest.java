package dev.portico.kit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every combination of Kafka client settings, accepted with the right properties or refused. */
class KafkaClientEnvironmentTest {
  private static final String SECRET = "s3cret-pa\"ss\\word";
  private static final String PASSWORD = TestCertificates.PASSWORD;

  @TempDir static Path dir;
  static TestCertificates ca;
  static TestCertificates.Identity client;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.authority(dir, "unit");
    client = ca.client("portico");
  }

  static KafkaClientProperties read(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return KafkaClientEnvironment.read(env);
  }

  /** The refusal's message, which must never repeat a secret. */
  static String refused(String... pairs) {
    String message = assertThrows(KafkaSettingException.class, () -> read(pairs)).getMessage();
    assertFalse(message.contains(SECRET), message);
    assertFalse(message.contains(PASSWORD), message);
    return message;
  }

  static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), () -> "expected <" + expected + "> in <" + actual + ">");
  }

  @Test
  void nothingSetIsPlainWithKafkasDefaults() {
    KafkaClientProperties plain = read("PORTICO_KAFKA_BOOTSTRAP", "k:9092");
    assertEquals(Map.of(), plain.asMap());
    assertEquals("PLAINTEXT", plain.securityProtocol());
    assertFalse(plain.secured());
    assertTrue(plain.fileBootstrap().isEmpty());
  }

  @Test
  void anUnknownSecurityProtocolIsRefusedWithTheChoices() {
    assertEquals(
        "Invalid value for PORTICO_KAFKA_SECURITY_PROTOCOL: 'TLS' (expected PLAINTEXT, SSL,"
            + " SASL_PLAINTEXT or SASL_SSL)",
        refused("PORTICO_KAFKA_SECURITY_PROTOCOL", "TLS"));
  }

  @Nested
  class Tls {
    @Test
    void sslAloneTrustsTheJvmsAuthoritiesAndChecksTheHostName() {
      KafkaClientProperties p = read("PORTICO_KAFKA_SECURITY_PROTOCOL", "ssl");
      assertEquals(Map.of("security.protocol", "SSL"), p.asMap());
      assertTrue(p.secured());
    }

    @Test
    void aPemCaFileIsThePemTrustStore() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE",
              ca.caFile().toString());
      assertEquals("PEM", p.asMap().get("ssl.truststore.type"));
      assertEquals(ca.caFile().toString(), p.asMap().get("ssl.truststore.location"));
      assertEquals("PORTICO_KAFKA_TLS_CA_FILE", p.origin("ssl.truststore.location").orElseThrow());
    }

    @Test
    void aPkcs12TrustStoreWithItsPassword() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_TRUSTSTORE_FILE",
              ca.trustStore().toString(),
              "PORTICO_KAFKA_TLS_TRUSTSTORE_PASSWORD",
              PASSWORD);
      assertEquals("PKCS12", p.asMap().get("ssl.truststore.type"));
      assertEquals(PASSWORD, p.asMap().get("ssl.truststore.password"));
      assertFalse(p.toString().contains(PASSWORD), p.toString());
    }

    @Test
    void aWrongTrustStorePasswordIsRefusedBeforeAnyConnection() {
      assertContains(
          "Cannot use the TLS settings of PORTICO_KAFKA_TLS_TRUSTSTORE_FILE,"
              + " PORTICO_KAFKA_TLS_TRUSTSTORE_PASSWORD",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_TRUSTSTORE_FILE",
              ca.trustStore().toString(),
              "PORTICO_KAFKA_TLS_TRUSTSTORE_PASSWORD",
              SECRET));
    }

    @Test
    void aCaFileAndATrustStoreExcludeEachOther() {
      assertEquals(
          "PORTICO_KAFKA_TLS_CA_FILE and PORTICO_KAFKA_TLS_TRUSTSTORE_FILE exclude each other; set"
              + " one",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE", ca.caFile().toString(),
              "PORTICO_KAFKA_TLS_TRUSTSTORE_FILE", ca.trustStore().toString()));
    }

    @Test
    void aMissingFileIsRefusedWithItsVariable() {
      assertContains(
          "PORTICO_KAFKA_TLS_CA_FILE: cannot read /nowhere/ca.pem",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE", "/nowhere/ca.pem"));
    }

    @Test
    void aCaFileWithoutACertificateIsRefused() {
      assertContains(
          "PORTICO_KAFKA_TLS_CA_FILE: "
              + client.key()
              + " holds no PEM block -----BEGIN"
              + " CERTIFICATE-----",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE",
              client.key().toString()));
    }

    @Test
    void theTrustStorePasswordNeedsItsFile() {
      assertEquals(
          "PORTICO_KAFKA_TLS_TRUSTSTORE_PASSWORD needs PORTICO_KAFKA_TLS_TRUSTSTORE_FILE",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_TRUSTSTORE_PASSWORD",
              SECRET));
    }

    @Test
    void tlsFilesNeedATlsProtocol() {
      assertEquals(
          "PORTICO_KAFKA_TLS_CA_FILE needs PORTICO_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL; the"
              + " security protocol is PLAINTEXT (the default)",
          refused("PORTICO_KAFKA_TLS_CA_FILE", ca.caFile().toString()));
      assertContains(
          "needs PORTICO_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL; the security protocol is"
              + " SASL_PLAINTEXT (PORTICO_KAFKA_SECURITY_PROTOCOL)",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
              "PORTICO_KAFKA_SASL_MECHANISM", "PLAIN",
              "PORTICO_KAFKA_SASL_USERNAME", "u",
              "PORTICO_KAFKA_SASL_PASSWORD", SECRET,
              "PORTICO_KAFKA_TLS_VERIFY_HOSTNAME", "false"));
    }

    @Test
    void hostNameVerificationIsOnByDefaultAndCanBeTurnedOff() {
      assertFalse(
          read("PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL")
              .asMap()
              .containsKey("ssl.endpoint.identification.algorithm"));
      assertEquals(
          "",
          read(
                  "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
                  "PORTICO_KAFKA_TLS_VERIFY_HOSTNAME", "false")
              .asMap()
              .get("ssl.endpoint.identification.algorithm"));
      assertEquals(
          "Invalid value for PORTICO_KAFKA_TLS_VERIFY_HOSTNAME: 'maybe' (expected true or false)",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_TLS_VERIFY_HOSTNAME", "maybe"));
    }
  }

  @Nested
  class MutualTls {
    @Test
    void aPemCertificateAndKeyAreThePemKeyStore() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_TLS_CA_FILE", ca.caFile().toString(),
              "PORTICO_KAFKA_TLS_CERT_FILE", client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE", client.key().toString());
      assertEquals("PEM", p.asMap().get("ssl.keystore.type"));
      assertTrue(p.asMap().get("ssl.keystore.certificate.chain").contains("BEGIN CERTIFICATE"));
      assertTrue(p.asMap().get("ssl.keystore.key").contains("BEGIN PRIVATE KEY"));
      assertFalse(p.toString().contains("PRIVATE KEY"), "the key is a secret: " + p);
    }

    @Test
    void anEncryptedKeyWithItsPassword() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CERT_FILE",
              client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE",
              client.encryptedKey().toString(),
              "PORTICO_KAFKA_TLS_KEY_PASSWORD",
              PASSWORD);
      assertEquals(PASSWORD, p.asMap().get("ssl.key.password"));
    }

    @Test
    void anEncryptedKeyWithAWrongPasswordIsRefused() {
      assertContains(
          "Cannot use the TLS settings of PORTICO_KAFKA_TLS_CERT_FILE, PORTICO_KAFKA_TLS_KEY_FILE,"
              + " PORTICO_KAFKA_TLS_KEY_PASSWORD",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CERT_FILE",
              client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE",
              client.encryptedKey().toString(),
              "PORTICO_KAFKA_TLS_KEY_PASSWORD",
              SECRET));
    }

    @Test
    void anEncryptedKeyNeedsItsPasswordAndAPlainKeyHasNone() {
      assertContains(
          "is encrypted; set PORTICO_KAFKA_TLS_KEY_PASSWORD",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_TLS_CERT_FILE", client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE", client.encryptedKey().toString()));
      assertContains(
          "PORTICO_KAFKA_TLS_KEY_PASSWORD is set but "
              + client.key()
              + " (PORTICO_KAFKA_TLS_KEY_FILE) is not encrypted",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CERT_FILE",
              client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE",
              client.key().toString(),
              "PORTICO_KAFKA_TLS_KEY_PASSWORD",
              SECRET));
    }

    @Test
    void aTraditionalOpenSslKeyIsRefusedWithTheConversion() throws Exception {
      Path rsa = dir.resolve("traditional.key");
      Files.writeString(
          rsa, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
      assertContains(
          "openssl pkcs8 -topk8 -nocrypt",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_TLS_CERT_FILE", client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE", rsa.toString()));
    }

    @Test
    void aCertificateNeedsItsKeyAndTheOtherWayRound() {
      assertEquals(
          "PORTICO_KAFKA_TLS_CERT_FILE is set, so PORTICO_KAFKA_TLS_KEY_FILE is needed too",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_CERT_FILE",
              client.certificate().toString()));
      assertEquals(
          "PORTICO_KAFKA_TLS_KEY_FILE is set, so PORTICO_KAFKA_TLS_CERT_FILE is needed too",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_KEY_FILE",
              client.key().toString()));
    }

    @Test
    void aKeyStoreWithItsPassword() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_KEYSTORE_FILE",
              client.keyStore().toString(),
              "PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD",
              PASSWORD);
      assertEquals("PKCS12", p.asMap().get("ssl.keystore.type"));
      assertEquals(client.keyStore().toString(), p.asMap().get("ssl.keystore.location"));
    }

    @Test
    void aKeyStoreWithAWrongPasswordIsRefused() {
      assertContains(
          "Cannot use the TLS settings of PORTICO_KAFKA_TLS_KEYSTORE_FILE,"
              + " PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_KEYSTORE_FILE",
              client.keyStore().toString(),
              "PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD",
              SECRET));
    }

    @Test
    void pemFilesAndAKeyStoreExcludeEachOther() {
      assertEquals(
          "PORTICO_KAFKA_TLS_CERT_FILE and PORTICO_KAFKA_TLS_KEYSTORE_FILE exclude each other; set"
              + " one",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_TLS_CERT_FILE", client.certificate().toString(),
              "PORTICO_KAFKA_TLS_KEY_FILE", client.key().toString(),
              "PORTICO_KAFKA_TLS_KEYSTORE_FILE", client.keyStore().toString()));
      assertEquals(
          "PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD needs PORTICO_KAFKA_TLS_KEYSTORE_FILE",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL",
              "SSL",
              "PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD",
              SECRET));
      assertEquals(
          "PORTICO_KAFKA_TLS_KEY_PASSWORD needs PORTICO_KAFKA_TLS_KEY_FILE or"
              + " PORTICO_KAFKA_TLS_KEYSTORE_FILE",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL", "PORTICO_KAFKA_TLS_KEY_PASSWORD", SECRET));
    }
  }

  @Nested
  class Sasl {
    @Test
    void plainAndBothScramMechanismsLogInWithUserNameAndPassword() {
      for (String[] mechanism :
          new String[][] {
            {"PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"},
            {"scram-sha-256", "org.apache.kafka.common.security.scram.ScramLoginModule"},
            {"SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"}
          }) {
        KafkaClientProperties p =
            read(
                "PORTICO_KAFKA_SECURITY_PROTOCOL",
                "SASL_SSL",
                "PORTICO_KAFKA_SASL_MECHANISM",
                mechanism[0],
                "PORTICO_KAFKA_SASL_USERNAME",
                "portico",
                "PORTICO_KAFKA_SASL_PASSWORD",
                SECRET);
        assertEquals(mechanism[0].toUpperCase(), p.asMap().get("sasl.mechanism"));
        // The password's quote and backslash are escaped for the JAAS parser.
        assertEquals(
            mechanism[1] + " required username=\"portico\" password=\"s3cret-pa\\\"ss\\\\word\";",
            p.asMap().get("sasl.jaas.config"));
        assertFalse(p.toString().contains("s3cret"), p.toString());
        assertTrue(p.toString().contains("sasl.jaas.config=[hidden]"), p.toString());
      }
    }

    @Test
    void saslOverPlaintextIsAllowed() {
      assertEquals(
          "SASL_PLAINTEXT",
          read(
                  "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                  "PORTICO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                  "PORTICO_KAFKA_SASL_USERNAME", "portico",
                  "PORTICO_KAFKA_SASL_PASSWORD", SECRET)
              .securityProtocol());
    }

    @Test
    void aSaslProtocolNeedsAMechanismAndTheMechanismItsCredentials() {
      assertEquals(
          "The security protocol SASL_SSL (PORTICO_KAFKA_SECURITY_PROTOCOL) needs"
              + " PORTICO_KAFKA_SASL_MECHANISM: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER",
          refused("PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
      assertEquals(
          "The SASL mechanism SCRAM-SHA-512 needs PORTICO_KAFKA_SASL_USERNAME and"
              + " PORTICO_KAFKA_SASL_PASSWORD (or a sasl.jaas.config)",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));
      assertEquals(
          "PORTICO_KAFKA_SASL_USERNAME is set, so PORTICO_KAFKA_SASL_PASSWORD is needed too",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "PLAIN",
              "PORTICO_KAFKA_SASL_USERNAME", "portico"));
    }

    @Test
    void saslSettingsNeedASaslProtocol() {
      assertEquals(
          "PORTICO_KAFKA_SASL_MECHANISM needs PORTICO_KAFKA_SECURITY_PROTOCOL=SASL_SSL (or"
              + " SASL_PLAINTEXT); the security protocol is SSL (PORTICO_KAFKA_SECURITY_PROTOCOL)",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "PLAIN",
              "PORTICO_KAFKA_SASL_USERNAME", "portico",
              "PORTICO_KAFKA_SASL_PASSWORD", SECRET));
    }

    @Test
    void userNameAndPasswordAreNotForOAuthBearer() {
      assertContains(
          "PORTICO_KAFKA_SASL_USERNAME and PORTICO_KAFKA_SASL_PASSWORD are for the SASL mechanisms"
              + " PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; set PORTICO_KAFKA_SASL_MECHANISM to one"
              + " of them (it is OAUTHBEARER)",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "OAUTHBEARER",
              "PORTICO_KAFKA_SASL_USERNAME", "portico",
              "PORTICO_KAFKA_SASL_PASSWORD", SECRET));
    }

    @Test
    void oauthBearerWithClientCredentials() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "OAUTHBEARER",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "https://idp.example/token",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID", "portico",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET", SECRET,
              "PORTICO_KAFKA_SASL_OAUTHBEARER_SCOPE", "kafka");
      assertEquals(
          "https://idp.example/token", p.asMap().get("sasl.oauthbearer.token.endpoint.url"));
      assertEquals("portico", p.asMap().get("sasl.oauthbearer.client.credentials.client.id"));
      assertEquals(SECRET, p.asMap().get("sasl.oauthbearer.client.credentials.client.secret"));
      assertEquals("kafka", p.asMap().get("sasl.oauthbearer.scope"));
      assertEquals(
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
          p.asMap().get("sasl.login.callback.handler.class"));
      assertFalse(p.toString().contains("s3cret"), p.toString());
      // Kafka only fetches tokens from URLs the JVM allows.
      assertContains(
          "https://idp.example/token",
          System.getProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls"));
    }

    @Test
    void oauthBearerIsRefusedWithoutItsThreeSettingsOrItsMechanism() {
      assertEquals(
          "OAUTHBEARER client credentials need PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL,"
              + " PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID and"
              + " PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET;"
              + " PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET is missing",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "OAUTHBEARER",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "https://idp.example/token",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID", "portico"));
      assertEquals(
          "The PORTICO_KAFKA_SASL_OAUTHBEARER_* variables need"
              + " PORTICO_KAFKA_SASL_MECHANISM=OAUTHBEARER",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "PLAIN",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "https://idp.example/token",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID", "portico",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET", SECRET));
      assertEquals(
          "The SASL mechanism OAUTHBEARER needs"
              + " PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL,"
              + " PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID and"
              + " PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET (or a sasl.jaas.config)",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "OAUTHBEARER"));
      assertEquals(
          "Invalid value for PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: 'idp:443'"
              + " (expected an http:// or https:// URL)",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "PORTICO_KAFKA_SASL_MECHANISM", "OAUTHBEARER",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "idp:443",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID", "portico",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET", SECRET));
    }
  }

  @Nested
  class PassThrough {
    @Test
    void anyOtherPorticoKafkaVariableSetsTheKafkaPropertyItSpells() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_MAX_POLL_RECORDS", "50",
              "PORTICO_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips",
              "PORTICO_KAFKA_PROPERTIES_FILE", "",
              "PORTICO_EDGE_PORT", "8080");
      assertEquals(
          Map.of("max.poll.records", "50", "client.dns.lookup", "use_all_dns_ips"), p.asMap());
      assertEquals("PORTICO_KAFKA_MAX_POLL_RECORDS", p.origin("max.poll.records").orElseThrow());
    }

    @Test
    void aPropertyNoKafkaClientKnowsIsRefused() {
      assertContains(
          "PORTICO_KAFKA_MAX_POL_RECORDS: max.pol.records is no property of Kafka's Java clients",
          refused("PORTICO_KAFKA_MAX_POL_RECORDS", "50"));
    }

    @Test
    void aValueKafkaRefusesIsRefusedInKafkasWords() {
      assertContains(
          "PORTICO_KAFKA_MAX_POLL_RECORDS: Invalid value many for configuration max.poll.records",
          refused("PORTICO_KAFKA_MAX_POLL_RECORDS", "many"));
    }

    @Test
    void whatPorticoChoosesPerClientCannotBeSet() {
      for (String variable :
          new String[] {
            "PORTICO_KAFKA_GROUP_ID",
            "PORTICO_KAFKA_TRANSACTIONAL_ID",
            "PORTICO_KAFKA_ISOLATION_LEVEL",
            "PORTICO_KAFKA_ACKS",
            "PORTICO_KAFKA_ENABLE_IDEMPOTENCE"
          }) {
        assertContains(
            "is chosen by Portico for each client and cannot be set", refused(variable, "x"));
      }
      assertEquals(
          "PORTICO_KAFKA_BOOTSTRAP_SERVERS: set the bootstrap servers with PORTICO_KAFKA_BOOTSTRAP",
          refused("PORTICO_KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
    }

    @Test
    void aPassThroughVariableAndPorticosOwnMayNotSetTheSameProperty() {
      assertEquals(
          "PORTICO_KAFKA_TLS_CA_FILE and PORTICO_KAFKA_SSL_TRUSTSTORE_LOCATION both set"
              + " ssl.truststore.location; set only one of them",
          refused(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SSL",
              "PORTICO_KAFKA_SSL_TRUSTSTORE_LOCATION", ca.caFile().toString(),
              "PORTICO_KAFKA_TLS_CA_FILE", ca.caFile().toString()));
    }

    @Test
    void aJaasConfigPassedThroughStandsForTheCredentials() {
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
              "PORTICO_KAFKA_SASL_MECHANISM", "PLAIN",
              "PORTICO_KAFKA_SASL_JAAS_CONFIG",
                  "org.apache.kafka.common.security.plain.PlainLoginModule required"
                      + " username=\"u\" password=\"p\";");
      assertEquals("PORTICO_KAFKA_SASL_JAAS_CONFIG", p.origin("sasl.jaas.config").orElseThrow());
      assertTrue(p.toString().contains("sasl.jaas.config=[hidden]"), p.toString());
    }

    @Test
    void passedThroughSslPropertiesAreKeptAsGiven() {
      // Only Portico's own TLS variables are cross-checked; a passed-through ssl.* property is
      // the operator's explicit choice, kept as given.
      assertEquals(
          "JKS", read("PORTICO_KAFKA_SSL_KEYSTORE_TYPE", "JKS").asMap().get("ssl.keystore.type"));
    }
  }

  @Nested
  class PropertiesFile {
    @Test
    void aManagedServicesClientPropertiesFileIsReadWhole() throws Exception {
      Path file = dir.resolve("client.properties");
      Files.writeString(
          file,
          """
          # as a managed Kafka service hands it out
          bootstrap.servers=broker-1.example:9092,broker-2.example:9092
          security.protocol=SASL_SSL
          sasl.mechanism=PLAIN
          sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
            username="key" password="file-s3cret";
          client.dns.lookup=use_all_dns_ips
          session.timeout.ms=45000
          """);
      KafkaClientProperties p = read("PORTICO_KAFKA_PROPERTIES_FILE", file.toString());
      assertEquals("broker-1.example:9092,broker-2.example:9092", p.fileBootstrap().orElseThrow());
      assertEquals("SASL_SSL", p.securityProtocol());
      assertEquals("45000", p.asMap().get("session.timeout.ms"));
      assertFalse(p.asMap().containsKey("bootstrap.servers"));
      assertEquals(
          "PORTICO_KAFKA_PROPERTIES_FILE (" + file + ")",
          p.origin("sasl.jaas.config").orElseThrow());
      assertFalse(p.toString().contains("s3cret"), p.toString());
    }

    @Test
    void variablesWinOverTheFile() throws Exception {
      Path file = dir.resolve("override.properties");
      Files.writeString(file, "session.timeout.ms=45000\nsecurity.protocol=SSL\n");
      KafkaClientProperties p =
          read(
              "PORTICO_KAFKA_PROPERTIES_FILE", file.toString(),
              "PORTICO_KAFKA_SESSION_TIMEOUT_MS", "30000",
              "PORTICO_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
      assertEquals("30000", p.asMap().get("session.timeout.ms"));
      assertEquals("PLAINTEXT", p.securityProtocol());
    }

    @Test
    void anUnreadableFileOrABadLineIsRefusedWithTheFileNamed() throws Exception {
      assertContains(
          "Cannot read PORTICO_KAFKA_PROPERTIES_FILE (/nowhere/client.properties)",
          refused("PORTICO_KAFKA_PROPERTIES_FILE", "/nowhere/client.properties"));
      Path file = dir.resolve("bad.properties");
      Files.writeString(file, "group.id=mine\n");
      assertEquals(
          "PORTICO_KAFKA_PROPERTIES_FILE ("
              + file
              + "): group.id: group.id is chosen by Portico for each client and cannot be set",
          refused("PORTICO_KAFKA_PROPERTIES_FILE", file.toString()));
    }
  }
}
