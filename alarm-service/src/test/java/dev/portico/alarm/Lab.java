package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Steps several tests share: a topic with a confirmed subscriber, the lab's alarm on it. */
final class Lab {
  static final String ALARM_BODY =
      """
      {"Namespace": "Portico/Lab", "MetricName": "VolumeWriteBytes",
       "Dimensions": [{"Name": "VolumeId", "Value": "vol-00f66de5615226721"}],
       "Statistic": "Maximum", "Period": 60, "EvaluationPeriods": 1,
       "Threshold": 100000, "ComparisonOperator": "GreaterThanThreshold",
       "AlarmActions": ["%s"], "OKActions": ["%s"]}
      """;

  private Lab() {}

  static void topic(AlarmHarness alarms, String topic) {
    alarms.expect(201, "PUT", "/topics/" + topic, null);
  }

  static String subscribe(AlarmHarness alarms, String topic, String protocol, String endpoint) {
    JsonNode sub =
        alarms.expect(
            201,
            "POST",
            "/topics/" + topic + "/subscriptions",
            "{\"Protocol\":\"" + protocol + "\",\"Endpoint\":\"" + endpoint + "\"}");
    return sub.get("SubscriptionId").asText();
  }

  /** Subscribes {@code email} and follows the link of the confirmation email it receives. */
  static String confirmedEmail(AlarmHarness alarms, GreenMail mail, String topic, String email) {
    String id = subscribe(alarms, topic, "email", email);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !Mailbox.withSubjectPrefix(mail, email, "Portico Notification - Subscription")
                    .isEmpty());
    Mailbox.Mail confirmation =
        Mailbox.withSubjectPrefix(mail, email, "Portico Notification - Subscription").get(0);
    HttpResponse<String> confirmed = AlarmHarness.get(Mailbox.confirmLink(confirmation));
    assertEquals(200, confirmed.statusCode(), confirmed.body());
    return id;
  }

  static void alarm(AlarmHarness alarms, String name, String topic) {
    alarms.expect(201, "PUT", "/alarms/" + name, ALARM_BODY.formatted(topic, topic));
  }

  /** SetAlarmState: a transition, hence a notification, without waiting for data. */
  static void setState(AlarmHarness alarms, String name, String state) {
    alarms.expect(
        200,
        "POST",
        "/alarms/" + name + "/state",
        "{\"StateValue\":\"" + state + "\",\"StateReason\":\"testing the notification\"}");
  }

  static JsonNode deliveries(AlarmHarness alarms, String query) {
    return alarms.expect(200, "GET", "/deliveries" + query, null).get("Deliveries");
  }
}
