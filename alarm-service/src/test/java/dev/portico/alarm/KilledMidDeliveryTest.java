package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * alarm-service as its own process, killed with SIGKILL after an alarm's transition is committed
 * and while its email is being sent, before the SMTP server accepted it: the SMTP port then holds
 * the connection without ever greeting. Restarted (with the SMTP server up), it sends the email
 * exactly once, counts the interrupted attempt as ambiguous, and does not repeat the transition.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(300)
@Tag("integration")
class KilledMidDeliveryTest {
  static final String TOPIC = "crash-alarms";
  static final String ALARM = "crash-alarm";
  static final String SUBSCRIBER = "crash@example.com";
  static final Map<String, String> HOST = Map.of("Host", "web-1");

  @Test
  void shouldEmailExactlyOnceAfterASigkillBetweenTransitionAndDelivery(
      TestKafka kafka, @TempDir Path dir) throws Exception {
    int smtpPort = FreePorts.forRebinding(); // bound three times, by three servers
    // The child runs on the real clock; the harness only lends its env, port, HTTP helpers and
    // datapoint producer.
    try (AlarmHarness alarms =
        new AlarmHarness(kafka, new MutableClock(Instant.now()))
            .smtp(smtpPort)
            .with("PORTICO_SMTP_TIMEOUT_MS", "120000")
            .with("PORTICO_ALARM_DELIVERY_QUICK_RETRIES", "0")
            .with("PORTICO_ALARM_DELIVERY_MIN_BACKOFF_MS", "100")
            .with("PORTICO_ALARM_DELIVERY_MAX_BACKOFF_MS", "300")) {
      GreenMail mail = smtp(smtpPort);
      Process first = startChild(alarms, dir.resolve("first.log"));
      try {
        Lab.topic(alarms, TOPIC);
        Lab.confirmedEmail(alarms, mail, TOPIC, SUBSCRIBER);
        alarms.expect(
            201,
            "PUT",
            "/alarms/" + ALARM,
            """
            {"Namespace": "Shop", "MetricName": "Errors", "Dimensions": [{"Name": "Host", "Value": "web-1"}],
             "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 10,
             "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "ignore",
             "AlarmActions": ["%s"], "OKActions": ["%s"]}
            """
                .formatted(TOPIC, TOPIC));
        mail.stop();

        try (SilentSmtp silent = new SilentSmtp(smtpPort)) {
          // A breaching datapoint of the last complete minute, as metrics-service would publish.
          long minute = Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000 - 60_000;
          alarms.datapoint("Shop", "Errors", HOST, 60, Instant.ofEpochMilli(minute).toString(), 42);
          await().atMost(Duration.ofSeconds(60)).until(() -> stateUpdates(alarms).size() == 1);
          // Recorded SENDING, connected, waiting for a greeting that never comes.
          JsonNode sending =
              await()
                  .atMost(Duration.ofSeconds(60))
                  .until(
                      () -> alarmDelivery(alarms), d -> d != null && "SENDING".equals(status(d)));
          assertEquals(1, sending.get("Attempts").asInt());
          await().atMost(Duration.ofSeconds(30)).until(() -> silent.connections() >= 1);

          first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
          assertTrue(first.waitFor(30, TimeUnit.SECONDS));
          assertEquals(137, first.exitValue(), "killed by SIGKILL");
        }
      } finally {
        first.destroyForcibly();
        mail.stop();
      }

      GreenMail restarted = smtp(smtpPort);
      Process second = startChild(alarms, dir.resolve("second.log"));
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> Mailbox.withSubjectPrefix(restarted, SUBSCRIBER, "ALARM: ").size() == 1);
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> Mailbox.withSubjectPrefix(restarted, SUBSCRIBER, "ALARM: ").size() == 1);
        Mailbox.Mail email = Mailbox.withSubjectPrefix(restarted, SUBSCRIBER, "ALARM: ").get(0);
        assertEquals("ALARM: \"" + ALARM + "\" in Portico", email.subject());
        assertTrue(email.body().contains("1 out of the last 1 datapoints [42.0"), email.body());

        JsonNode delivered =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () -> alarmDelivery(alarms), d -> d != null && "DELIVERED".equals(status(d)));
        assertEquals(2, delivered.get("Attempts").asInt(), delivered.toString());
        assertEquals("<" + delivered.get("DeliveryId").asText() + "@portico>", email.messageId());
        String metrics = alarms.call("GET", "/metrics", null).body();
        java.util.regex.Matcher ambiguous =
            java.util.regex.Pattern.compile(
                    "(?m)^portico_alarm_deliveries_ambiguous_total(\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        assertTrue(ambiguous.find(), metrics);
        assertEquals(1.0, Double.parseDouble(ambiguous.group(2)), "the interrupted attempt");
        // The transition happened once: not repeated by the restarted process.
        assertEquals(
            List.of("Alarm updated from INSUFFICIENT_DATA to ALARM"), stateUpdates(alarms));
        assertEquals(
            "ALARM",
            alarms.expect(200, "GET", "/alarms/" + ALARM, null).get("StateValue").asText());
      } finally {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
        second.destroyForcibly();
        restarted.stop();
      }
    }
  }

  static GreenMail smtp(int port) {
    GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return mail;
  }

  /** alarm-service's main class in a child JVM with the harness's env; returns once ready. */
  static Process startChild(AlarmHarness alarms, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                AlarmMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(alarms.env);
    Process process = builder.start();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .failFast("alarm-service exited; see " + log, () -> !process.isAlive())
        .until(() -> alarms.call("GET", "/ready", null).statusCode() == 200);
    return process;
  }

  static JsonNode alarmDelivery(AlarmHarness alarms) {
    for (JsonNode d : Lab.deliveries(alarms, "?Topic=" + TOPIC)) {
      if (ALARM.equals(d.path("AlarmName").asText())) {
        return d;
      }
    }
    return null;
  }

  static String status(JsonNode delivery) {
    return delivery.get("Status").asText();
  }

  static List<String> stateUpdates(AlarmHarness alarms) {
    JsonNode items =
        alarms
            .expect(
                200,
                "GET",
                "/alarm-history?AlarmName=" + ALARM + "&HistoryItemType=StateUpdate",
                null)
            .get("AlarmHistoryItems");
    return StreamSupport.stream(items.spliterator(), false)
        .map(i -> i.get("HistorySummary").asText())
        .toList();
  }

  /** An SMTP port that accepts connections and never says a word: a send hangs there. */
  static final class SilentSmtp implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();

    SilentSmtp(int port) throws Exception {
      server =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> bind(port), s -> s != null);
      Thread acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket socket = server.accept();
                    synchronized (accepted) {
                      accepted.add(socket);
                    }
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "silent-smtp");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private static ServerSocket bind(int port) throws IOException {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return socket;
    }

    int connections() {
      synchronized (accepted) {
        return accepted.size();
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (accepted) {
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }
}
