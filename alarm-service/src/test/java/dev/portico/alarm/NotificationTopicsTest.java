package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.portico.contracts.Json;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Notification topics, subscriptions and Publish over HTTP, delivered to GreenMail and HTTP. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class NotificationTopicsTest {
  final MutableClock clock = new MutableClock(Instant.parse("2023-09-08T07:07:14Z"));
  final GreenMail mail =
      new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
  final List<JsonNode> posted = new CopyOnWriteArrayList<>();
  HttpServer endpoint;
  AlarmHarness alarms;

  @BeforeAll
  void start(TestKafka kafka) throws IOException {
    mail.start();
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext(
        "/hook",
        exchange -> {
          posted.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    endpoint.start();
    alarms = new AlarmHarness(kafka, clock).smtp(mail.getSmtp().getPort()).start();
  }

  @AfterAll
  void stop() {
    alarms.close();
    endpoint.stop(0);
    mail.stop();
  }

  JsonNode rejected(int status, String method, String path, String body) {
    HttpResponse<String> response = alarms.call(method, path, body);
    assertEquals(status, response.statusCode(), response.body());
    JsonNode json = AlarmHarness.json(response.body());
    assertTrue(json.has("message"), response.body());
    return json;
  }

  static String publish(String subject, String message) {
    return Json.toString(
        subject == null
            ? Map.of("Message", message)
            : Map.of("Subject", subject, "Message", message));
  }

  @Test
  void shouldEnforceTopicAndSubscriptionLimits() {
    alarms.expect(201, "PUT", "/topics/" + "t".repeat(256), null);
    rejected(400, "PUT", "/topics/" + "t".repeat(257), null);
    rejected(400, "PUT", "/topics/has.dot", null);
    alarms.expect(201, "PUT", "/topics/named", "{\"DisplayName\":\"" + "d".repeat(100) + "\"}");
    rejected(400, "PUT", "/topics/named", "{\"DisplayName\":\"" + "d".repeat(101) + "\"}");
    JsonNode again = alarms.expect(200, "PUT", "/topics/named", "{\"DisplayName\":\"Ops\"}");
    assertEquals("Ops", again.get("DisplayName").asText());
    String subs = "/topics/named/subscriptions";
    rejected(400, "POST", subs, "{\"Protocol\":\"sms\",\"Endpoint\":\"+82101234\"}");
    rejected(400, "POST", subs, "{\"Protocol\":\"email\",\"Endpoint\":\"not an address\"}");
    rejected(400, "POST", subs, "{\"Protocol\":\"email\",\"Endpoint\":\"Ops <ops@example.com>\"}");
    rejected(400, "POST", subs, "{\"Protocol\":\"https\",\"Endpoint\":\"http://example.com/x\"}");
    rejected(400, "POST", subs, "{\"Protocol\":\"email\"}");
    rejected(
        404,
        "POST",
        "/topics/nobody/subscriptions",
        "{\"Protocol\":\"email\",\"Endpoint\":\"a@b.co\"}");
    rejected(404, "GET", "/topics/nobody", null);
    alarms.expect(204, "DELETE", "/topics/named", null);
    alarms.expect(204, "DELETE", "/topics/named", null);
    rejected(404, "GET", "/topics/named", null);
  }

  @Test
  void publishShouldEnforceSubjectAndMessageLimits() {
    Lab.topic(alarms, "limits");
    String path = "/topics/limits/messages";
    alarms.expect(200, "POST", path, publish("s".repeat(99), "hello"));
    rejected(400, "POST", path, publish("s".repeat(100), "hello"));
    rejected(400, "POST", path, publish("two\nlines", "hello"));
    alarms.expect(200, "POST", path, publish(null, "m".repeat(256 * 1024)));
    JsonNode big = rejected(400, "POST", path, publish(null, "m".repeat(256 * 1024 + 1)));
    assertEquals(
        "Message must be at most 262144 bytes (256 KB) of UTF-8 (got 262145 bytes)",
        big.get("message").asText());
    // 87,382 three-byte characters are 262,146 bytes: the limit counts bytes, not characters.
    rejected(400, "POST", path, publish(null, "가".repeat(87_382)));
    rejected(400, "POST", path, publish("s", ""));
    rejected(400, "POST", path, "{\"Subject\":\"s\"}");
    rejected(404, "POST", "/topics/nobody/messages", publish("s", "m"));
    HttpResponse<String> huge =
        alarms.call("POST", path, publish(null, "m".repeat(3 * 1024 * 1024)));
    assertEquals(413, huge.statusCode(), huge.body());
  }

  @Test
  void onlyConfirmedSubscribersShouldReceiveAndUnsubscribingShouldStopIt() {
    Lab.topic(alarms, "news");
    Lab.confirmedEmail(alarms, mail, "news", "reader@example.com");
    Lab.confirmedEmail(alarms, mail, "news", "witness@example.com");
    Lab.subscribe(alarms, "news", "email", "lurker@example.com");
    JsonNode published =
        alarms.expect(200, "POST", "/topics/news/messages", publish("Deploy done", "v1.2 is live"));
    assertTrue(published.has("MessageId"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> Mailbox.withSubjectPrefix(mail, "reader@example.com", "Deploy done").size() == 1);
    Mailbox.Mail message =
        Mailbox.withSubjectPrefix(mail, "reader@example.com", "Deploy done").get(0);
    assertTrue(
        message.body().startsWith("v1.2 is live\n\n--\nIf you wish to stop receiving"),
        message.body());

    HttpResponse<String> unsubscribed = AlarmHarness.get(Mailbox.unsubscribeLink(message));
    assertEquals(200, unsubscribed.statusCode(), unsubscribed.body());
    assertEquals(404, AlarmHarness.get(Mailbox.unsubscribeLink(message)).statusCode());
    alarms.expect(200, "POST", "/topics/news/messages", publish("Second", "again"));
    alarms.expect(200, "POST", "/topics/news/messages", publish("Third", "again"));
    // The witness is still subscribed: once it has the third message, the topic's owner has
    // fanned out both, in order, and the reader was no longer among the recipients.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Mailbox.withSubjectPrefix(mail, "witness@example.com", "Third").size() == 1);
    assertEquals(2, Mailbox.to(mail, "reader@example.com").size(), "confirmation + first only");
    assertEquals(
        List.of("Portico Notification - Subscription Confirmation"),
        Mailbox.to(mail, "lurker@example.com").stream().map(Mailbox.Mail::subject).toList());
  }

  @Test
  void confirmationLinksShouldCheckTheirTokenAndExpireAfterTwoDays() {
    Lab.topic(alarms, "expiry");
    String id = Lab.subscribe(alarms, "expiry", "email", "late@example.com");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Mailbox.to(mail, "late@example.com").size() == 1);
    String link = Mailbox.confirmLink(Mailbox.to(mail, "late@example.com").get(0));
    assertEquals(403, AlarmHarness.get(link.replaceAll("token=.*", "token=forged")).statusCode());
    assertEquals(400, AlarmHarness.get(link.replaceAll("\\?token=.*", "")).statusCode());
    clock.advance(Duration.ofDays(2).plusSeconds(1));
    try {
      HttpResponse<String> expired = AlarmHarness.get(link);
      assertEquals(410, expired.statusCode(), expired.body());
      // Subscribing again sends a fresh link, which works.
      assertEquals(id, Lab.subscribe(alarms, "expiry", "email", "late@example.com"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Mailbox.to(mail, "late@example.com").size() == 2);
      String fresh = Mailbox.confirmLink(Mailbox.to(mail, "late@example.com").get(1));
      assertEquals(200, AlarmHarness.get(fresh).statusCode());
      assertEquals(200, AlarmHarness.get(fresh).statusCode(), "following it twice is fine");
      JsonNode sub = alarms.expect(200, "GET", "/subscriptions/" + id, null);
      assertEquals("Confirmed", sub.get("Status").asText());
    } finally {
      clock.advance(Duration.ofDays(-2).minusSeconds(1));
    }
  }

  @Test
  void emailJsonAndHttpSubscribersShouldGetTheJsonForm() {
    Lab.topic(alarms, "json");
    Lab.confirmedEmail(alarms, mail, "json", "robot@example.com");
    String hook = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook";
    Lab.subscribe(alarms, "json", "http", hook);
    await().atMost(Duration.ofSeconds(20)).until(() -> !posted.isEmpty());
    JsonNode confirmation = posted.get(0);
    assertEquals("SubscriptionConfirmation", confirmation.get("Type").asText());
    assertEquals(200, AlarmHarness.get(confirmation.get("SubscribeURL").asText()).statusCode());
    String jsonSub = Lab.subscribe(alarms, "json", "email-json", "parser@example.com");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Mailbox.to(mail, "parser@example.com").size() == 1);
    JsonNode jsonConfirmation =
        AlarmHarness.json(Mailbox.to(mail, "parser@example.com").get(0).body());
    assertEquals(200, AlarmHarness.get(jsonConfirmation.get("SubscribeURL").asText()).statusCode());
    assertEquals(
        "Confirmed",
        alarms.expect(200, "GET", "/subscriptions/" + jsonSub, null).get("Status").asText());

    Lab.alarm(alarms, "json-alarm", "json");
    Lab.setState(alarms, "json-alarm", "ALARM");
    await().atMost(Duration.ofSeconds(20)).until(() -> posted.size() == 2);
    JsonNode notification = posted.get(1);
    assertEquals("Notification", notification.get("Type").asText());
    assertEquals("ALARM: \"json-alarm\" in Portico", notification.get("Subject").asText());
    assertTrue(notification.get("UnsubscribeURL").asText().contains("/unsubscribe?token="));
    JsonNode alarm = AlarmHarness.json(notification.get("Message").asText());
    assertEquals("json-alarm", alarm.get("AlarmName").asText());
    assertEquals("ALARM", alarm.get("NewStateValue").asText());
    assertEquals("INSUFFICIENT_DATA", alarm.get("OldStateValue").asText());
    assertEquals("GreaterThanThreshold", alarm.at("/Trigger/ComparisonOperator").asText());

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Mailbox.withSubjectPrefix(mail, "parser@example.com", "ALARM: ").size() == 1);
    JsonNode emailJson =
        AlarmHarness.json(
            Mailbox.withSubjectPrefix(mail, "parser@example.com", "ALARM: ").get(0).body());
    assertEquals(alarm, AlarmHarness.json(emailJson.get("Message").asText()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Mailbox.withSubjectPrefix(mail, "robot@example.com", "ALARM: ").size() == 1);
    assertTrue(
        Mailbox.withSubjectPrefix(mail, "robot@example.com", "ALARM: ")
            .get(0)
            .body()
            .startsWith("You are receiving this email because your Portico alarm \"json-alarm\""));
  }
}
