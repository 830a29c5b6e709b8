package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email over STARTTLS with SMTP authentication: a server certificate made for 127.0.0.1 (keytool),
 * trusted through {@code PORTICO_SMTP_CA_FILE} only, a STARTTLS front ({@link StartTlsRelay}) on
 * GreenMail, which checks the credentials. Only EHLO and STARTTLS cross the wire in clear; a
 * certificate the service does not trust or a wrong password delivers nothing.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
@Tag("integration")
class SmtpStartTlsTest {
  static final String TOPIC = "tls-alarms";
  static final String USER = "alerts";
  static final String PASSWORD = "s3cret-Pa55";
  static final char[] STORE_PASSWORD = "changeit".toCharArray();

  final MutableClock clock = new MutableClock(Instant.parse("2023-09-08T07:07:14Z"));
  GreenMail mail;
  StartTlsRelay relay;
  Path certificate;

  @BeforeAll
  void startServers(@TempDir Path dir) throws Exception {
    Path keyStore = dir.resolve("smtp.p12");
    certificate = dir.resolve("smtp.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "smtp",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "smtp",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        "changeit",
        "-file",
        certificate.toString());
    mail =
        new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("alerts@example.com", USER, PASSWORD));
    mail.start();
    relay = new StartTlsRelay(mail.getSmtp().getPort(), keyStore, STORE_PASSWORD);
  }

  @AfterAll
  void stopServers() throws Exception {
    relay.close();
    mail.stop();
  }

  AlarmHarness harness(TestKafka kafka) {
    return new AlarmHarness(kafka, clock)
        .smtp(relay.port())
        .with("PORTICO_SMTP_STARTTLS", "required")
        .with("PORTICO_SMTP_USERNAME", USER)
        .with("PORTICO_SMTP_PASSWORD", PASSWORD)
        .with("PORTICO_SMTP_CA_FILE", certificate.toString())
        .with("PORTICO_ALARM_DELIVERY_QUICK_RETRIES", "0")
        .with("PORTICO_ALARM_DELIVERY_MIN_BACKOFF_MS", "200")
        .with("PORTICO_ALARM_DELIVERY_MAX_BACKOFF_MS", "500");
  }

  @Test
  void shouldDeliverOverStartTlsWithAuthentication(TestKafka kafka) {
    try (AlarmHarness alarms = harness(kafka).start()) {
      int before = relay.lines().size();
      Lab.topic(alarms, TOPIC);
      Lab.confirmedEmail(alarms, mail, TOPIC, "tls@example.com");
      Lab.alarm(alarms, "tls-alarm", TOPIC);
      Lab.setState(alarms, "tls-alarm", "ALARM");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Mailbox.withSubjectPrefix(mail, "tls@example.com", "ALARM: ").size() == 1);
      assertEquals(
          "ALARM: \"tls-alarm\" in Portico",
          Mailbox.withSubjectPrefix(mail, "tls@example.com", "ALARM: ").get(0).subject());

      // Two sessions (confirmation, alarm), each: EHLO and STARTTLS in clear, the rest in TLS.
      List<StartTlsRelay.Line> lines = relay.lines().subList(before, relay.lines().size());
      List<String> clear = lines.stream().filter(l -> !l.tls()).map(l -> verb(l.text())).toList();
      assertEquals(List.of("EHLO", "STARTTLS", "EHLO", "STARTTLS"), clear, lines.toString());
      List<String> secure =
          lines.stream().filter(StartTlsRelay.Line::tls).map(l -> l.text()).toList();
      assertEquals(
          2, secure.stream().filter(l -> l.startsWith("AUTH ")).count(), secure.toString());
      assertEquals(
          2, secure.stream().filter(l -> l.startsWith("MAIL FROM")).count(), secure.toString());
      assertTrue(
          secure.indexOf(secure.stream().filter(l -> l.startsWith("AUTH ")).findFirst().get())
              < secure.indexOf(
                  secure.stream().filter(l -> l.startsWith("MAIL FROM")).findFirst().get()),
          "authenticated before sending");
    }
  }

  @Test
  void shouldNotDeliverToAServerItDoesNotTrust(TestKafka kafka) {
    try (AlarmHarness alarms = harness(kafka).with("PORTICO_SMTP_CA_FILE", "").start()) {
      int before = relay.lines().size();
      JsonNode failed = firstRetry(alarms, "untrusted@example.com");
      String error = failed.get("LastError").asText();
      assertTrue(error.contains("PKIX") || error.contains("certification path"), error);
      assertTrue(Mailbox.to(mail, "untrusted@example.com").isEmpty());
      assertTrue(
          relay.lines().subList(before, relay.lines().size()).stream()
              .noneMatch(l -> l.text().startsWith("AUTH") || l.text().startsWith("MAIL")),
          "nothing after a failed handshake");
    }
  }

  @Test
  void shouldNotDeliverWhenTheTrustedCertificateNamesAnotherHost(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    Path keyStore = dir.resolve("other.p12");
    Path other = dir.resolve("other.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "smtp",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=mail.elsewhere.example",
        "-ext",
        "SAN=dns:mail.elsewhere.example",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "smtp",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        "changeit",
        "-file",
        other.toString());
    try (StartTlsRelay elsewhere =
            new StartTlsRelay(mail.getSmtp().getPort(), keyStore, STORE_PASSWORD);
        AlarmHarness alarms =
            harness(kafka)
                .smtp(elsewhere.port())
                .with("PORTICO_SMTP_CA_FILE", other.toString())
                .start()) {
      JsonNode failed = firstRetry(alarms, "misnamed@example.com");
      String error = failed.get("LastError").asText();
      assertTrue(error.contains("127.0.0.1"), error);
      assertTrue(Mailbox.to(mail, "misnamed@example.com").isEmpty());
      assertTrue(
          elsewhere.lines().stream().noneMatch(l -> l.tls()), "nothing sent after the handshake");
    }
  }

  @Test
  void shouldNotDeliverWithAWrongPassword(TestKafka kafka) {
    try (AlarmHarness alarms =
        harness(kafka).with("PORTICO_SMTP_PASSWORD", "not-the-password").start()) {
      JsonNode failed = firstRetry(alarms, "wrong-password@example.com");
      assertTrue(failed.get("LastError").asText().contains("535"), failed.toString());
      assertTrue(Mailbox.to(mail, "wrong-password@example.com").isEmpty());
    }
  }

  /** Subscribes {@code email}; returns its confirmation's delivery once an attempt failed. */
  static JsonNode firstRetry(AlarmHarness alarms, String email) {
    Lab.topic(alarms, TOPIC);
    Lab.subscribe(alarms, TOPIC, "email", email);
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode list = Lab.deliveries(alarms, "?Status=RETRYING");
              return list.size() == 1 ? list.get(0) : null;
            },
            d -> d != null && d.get("Attempts").asInt() >= 1);
  }

  static String verb(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? line : line.substring(0, space);
  }

  static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, process.exitValue(), "keytool " + String.join(" ", args) + ": " + output);
  }
}
