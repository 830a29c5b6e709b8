package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.alarm.AlarmConfig;
import dev.portico.alarm.AlarmService;
import dev.portico.runtime.ConfigReader;
import dev.portico.stream.StreamConfig;
import dev.portico.stream.StreamService;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source's trigger example through the whole suite and a real SMTP server: a rule on the change
 * stream publishes to a notification topic with a confirmed email subscriber, and every customer
 * inserted through the REST API with an {@code email} attribute gets exactly one welcome email,
 * also when stream-service is stopped and started again while customers keep coming.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(300)
@Tag("integration")
class WelcomeEmailEndToEndTest {
  static final Pattern CONFIRM_LINK = Pattern.compile("Confirm subscription: (\\S+)");
  static final String OPS = "ops@portico.test";

  @Test
  void shouldWelcomeEveryNewCustomerOnceAcrossAStreamServiceRestart(
      TestKafka kafka, @TempDir Path stateDir, @TempDir Path alarmDir) throws Exception {
    GreenMail mail =
        new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    try (Suite suite =
        new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000).start()) {
      int streamPort = FreePorts.next();
      int alarmPort = FreePorts.next();
      Map<String, String> env = new HashMap<>(suite.env);
      env.put("PORTICO_STREAM_PORT", Integer.toString(streamPort));
      env.put("PORTICO_ALARM_PORT", Integer.toString(alarmPort));
      env.put("PORTICO_ALARM_PUBLIC_URL", "http://127.0.0.1:" + alarmPort);
      env.put("PORTICO_ALARM_STATE_DIR", alarmDir.toString());
      env.put("PORTICO_SMTP_HOST", "127.0.0.1");
      env.put("PORTICO_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
      AlarmService alarms = new AlarmService(suite.vertx, AlarmConfig.read(new ConfigReader(env)));
      Suite.await(alarms.start());
      StreamService stream = startStream(suite, env);
      try {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(alarms::isReady);
        String alarmsUrl = "http://127.0.0.1:" + alarmPort;
        String streamUrl = "http://127.0.0.1:" + streamPort;
        expect(201, Http.request("PUT", alarmsUrl + "/topics/welcome", null));
        expect(
            201,
            Http.postJson(
                alarmsUrl + "/topics/welcome/subscriptions",
                "{\"Protocol\":\"email\",\"Endpoint\":\"" + OPS + "\"}"));
        String confirmation =
            Awaitility.await()
                .atMost(30, TimeUnit.SECONDS)
                .until(() -> bodyWith(mail, "Confirm subscription"), b -> b != null);
        Matcher link = CONFIRM_LINK.matcher(confirmation);
        assertTrue(link.find(), confirmation);
        expect(200, Http.get(link.group(1)));
        expect(
            200,
            Http.request(
                "PUT",
                streamUrl + "/triggers/welcome",
                """
                {"on": ["INSERT"], "filter": {"attribute": "email", "exists": true},
                 "action": {"publish": {"topic": "welcome",
                   "subject": "Welcome, ${NewImage.customer_name}!",
                   "body": "Hello ${NewImage.customer_name}, your id is ${Keys.customer_id}."}}}
                """));

        int customers = 30;
        for (int i = 0; i < customers; i++) {
          if (i == 10) {
            Suite.await(stream.stop()); // changes keep coming while it is down
          }
          if (i == 20) {
            stream = startStream(suite, env);
          }
          String id = "w" + i;
          expect(
              201,
              Http.request(
                  "PUT",
                  suite.url("/prod/customer/" + id),
                  "{\"customer_name\":\"Guest " + i + "\",\"email\":\"" + id + "@portico.test\"}"));
          // An update and a customer without email: neither is welcomed.
          if (i % 10 == 5) {
            expect(
                200,
                Http.request(
                    "PATCH",
                    suite.url("/prod/customer/" + id),
                    "{\"set\":{\"customer_name\":\"Guest " + i + "\"}}"));
            expect(
                201,
                Http.request(
                    "PUT", suite.url("/prod/customer/n" + i), "{\"customer_name\":\"No mail\"}"));
          }
        }
        Awaitility.await()
            .atMost(90, TimeUnit.SECONDS)
            .until(() -> welcomes(mail).size() >= customers);
        // Nothing more comes: a later marker customer's email arrives alone.
        expect(
            201,
            Http.request(
                "PUT",
                suite.url("/prod/customer/marker"),
                "{\"customer_name\":\"Marker\",\"email\":\"m@portico.test\"}"));
        Awaitility.await()
            .atMost(60, TimeUnit.SECONDS)
            .until(() -> welcomes(mail).contains("Welcome, Marker!"));
        List<String> subjects = welcomes(mail);
        assertEquals(customers + 1, subjects.size(), subjects.toString());
        for (int i = 0; i < customers; i++) {
          assertTrue(
              subjects.contains("Welcome, Guest " + i + "!"), "Guest " + i + ": " + subjects);
        }
      } finally {
        Suite.await(stream.stop());
        Suite.await(alarms.stop());
      }
    } finally {
      mail.stop();
    }
  }

  static StreamService startStream(Suite suite, Map<String, String> env) {
    StreamService stream = new StreamService(suite.vertx, StreamConfig.read(new ConfigReader(env)));
    Suite.await(stream.start());
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(stream::isReady);
    return stream;
  }

  static void expect(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
  }

  /** The subjects of the welcome emails received so far. */
  static List<String> welcomes(GreenMail mail) throws Exception {
    List<String> subjects = new ArrayList<>();
    for (MimeMessage m : mail.getReceivedMessages()) {
      if (m.getSubject() != null && m.getSubject().startsWith("Welcome, ")) {
        subjects.add(m.getSubject());
      }
    }
    return subjects;
  }

  static String bodyWith(GreenMail mail, String text) throws Exception {
    for (MimeMessage m : mail.getReceivedMessages()) {
      String body = m.getContent().toString();
      if (body.contains(text)) {
        return body;
      }
    }
    return null;
  }
}
