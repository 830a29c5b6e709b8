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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CloudWatch part of the source lab, word for word, on a real broker and a real SMTP server: a
 * topic with an email subscriber confirmed through the emailed link, the lab's alarm, the lab's
 * datapoint -> exactly one ALARM email, then a low value -> one OK email.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class SourceLabEndToEndTest {
  static final String SUBSCRIBER = "digicope@aicore.co.kr";
  static final String UNCONFIRMED = "user1@example.com";
  static final Map<String, String> VOLUME = Map.of("VolumeId", "vol-00f66de5615226721");

  final GreenMail mail =
      new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
  AlarmHarness alarms;

  @BeforeAll
  void start(TestKafka kafka) {
    mail.start();
    alarms =
        new AlarmHarness(kafka, new MutableClock(Instant.parse("2023-09-08T07:07:14Z")))
            .smtp(mail.getSmtp().getPort())
            .start();
  }

  @AfterAll
  void stop() {
    alarms.close();
    mail.stop();
  }

  @Test
  void theLabShouldWorkAsWritten() throws Exception {
    String topic = Definitions.LAB_TOPIC;
    JsonNode created =
        alarms.expect(201, "PUT", "/topics/" + topic, "{\"DisplayName\":\"AWS Lab alarms\"}");
    assertEquals(topic, created.get("Name").asText());
    JsonNode sub =
        alarms.expect(
            201,
            "POST",
            "/topics/" + topic + "/subscriptions",
            "{\"Protocol\":\"email\",\"Endpoint\":\"" + SUBSCRIBER + "\"}");
    assertEquals("PendingConfirmation", sub.get("Status").asText());
    alarms.expect(
        201,
        "POST",
        "/topics/" + topic + "/subscriptions",
        "{\"Protocol\":\"email\",\"Endpoint\":\"" + UNCONFIRMED + "\"}");

    // The confirmation email, then its link.
    await().atMost(Duration.ofSeconds(30)).until(() -> Mailbox.to(mail, SUBSCRIBER).size() == 1);
    Mailbox.Mail confirmation = Mailbox.to(mail, SUBSCRIBER).get(0);
    assertEquals("Portico Notification - Subscription Confirmation", confirmation.subject());
    HttpResponse<String> confirmed = AlarmHarness.get(Mailbox.confirmLink(confirmation));
    assertEquals(200, confirmed.statusCode(), confirmed.body());
    assertTrue(confirmed.body().contains("Subscription confirmed"), confirmed.body());
    JsonNode subs = alarms.expect(200, "GET", "/topics/" + topic + "/subscriptions", null);
    assertEquals(
        List.of("Confirmed", "PendingConfirmation"),
        StreamSupport.stream(subs.get("Subscriptions").spliterator(), false)
            .map(s -> s.get("Status").asText())
            .sorted()
            .toList());

    // The lab's alarm.
    String alarm =
        """
        {"AlarmDescription": "EBS Volume에 너무 많은 쓰기가 수행되었습니다",
         "Namespace": "Portico/Lab", "MetricName": "VolumeWriteBytes",
         "Dimensions": [{"Name": "VolumeId", "Value": "vol-00f66de5615226721"}],
         "Statistic": "Maximum", "Period": 60, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
         "Threshold": 100000, "ComparisonOperator": "GreaterThanThreshold",
         "TreatMissingData": "missing",
         "AlarmActions": ["%s"], "OKActions": ["%s"]}
        """
            .formatted(topic, topic);
    JsonNode put = alarms.expect(201, "PUT", "/alarms/" + Definitions.LAB_ALARM, alarm);
    assertEquals("INSUFFICIENT_DATA", put.get("StateValue").asText());
    assertEquals("Unchecked: Initial alarm creation", put.get("StateReason").asText());

    // The lab's datapoint: exactly one ALARM email.
    alarms.datapoint(
        "Portico/Lab", "VolumeWriteBytes", VOLUME, 60, "2023-09-08T07:06:00Z", 248827.87525987526);
    String reason =
        "Threshold Crossed: 1 out of the last 1 datapoints [248827.87525987526 (08/09/23"
            + " 07:06:00)] was greater than the threshold (100000.0) (minimum 1 datapoint for OK ->"
            + " ALARM transition).";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Mailbox.withSubjectPrefix(mail, SUBSCRIBER, "ALARM: ").size() == 1);
    Mailbox.Mail alarmMail = Mailbox.withSubjectPrefix(mail, SUBSCRIBER, "ALARM: ").get(0);
    assertEquals(
        "ALARM: \"awslab_cloudwatch_toomuch_volume_alarm\" in Portico", alarmMail.subject());
    String body = alarmMail.body();
    assertTrue(
        body.startsWith(
            "You are receiving this email because your Portico alarm"
                + " \"awslab_cloudwatch_toomuch_volume_alarm\" in Portico has entered the ALARM"
                + " state, because \""
                + reason
                + "\" at \"Friday 08 September, 2023 07:07:14 UTC\"."),
        body);
    for (String line :
        List.of(
            "- Name:                     awslab_cloudwatch_toomuch_volume_alarm",
            "- Description:              EBS Volume에 너무 많은 쓰기가 수행되었습니다",
            "- State Change:             INSUFFICIENT_DATA -> ALARM",
            "- Reason for State Change:  " + reason,
            "- Timestamp:                Friday 08 September, 2023 07:07:14 UTC",
            "- The alarm is in the ALARM state when the metric is GreaterThanThreshold 100000.0"
                + " for 60 seconds.",
            "- MetricNamespace:                     Portico/Lab",
            "- Dimensions:                          [VolumeId = vol-00f66de5615226721]",
            "- Statistic:                           Maximum",
            "- TreatMissingData:                    missing",
            "- ALARM: [" + topic + "]",
            "View this alarm:\nhttp://localhost:8090/dashboard#alarm=" + Definitions.LAB_ALARM,
            "/unsubscribe?token=")) {
      assertTrue(body.contains(line), "missing \"" + line + "\" in:\n" + body);
    }
    JsonNode described = alarms.expect(200, "GET", "/alarms/" + Definitions.LAB_ALARM, null);
    assertEquals("ALARM", described.get("StateValue").asText());
    assertEquals(reason, described.get("StateReason").asText());

    // Recovery: a low value -> one OK email.
    alarms.datapoint("Portico/Lab", "VolumeWriteBytes", VOLUME, 60, "2023-09-08T07:07:00Z", 1024.0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Mailbox.withSubjectPrefix(mail, SUBSCRIBER, "OK: ").size() == 1);
    Mailbox.Mail okMail = Mailbox.withSubjectPrefix(mail, SUBSCRIBER, "OK: ").get(0);
    assertEquals("OK: \"awslab_cloudwatch_toomuch_volume_alarm\" in Portico", okMail.subject());
    assertTrue(
        okMail
            .body()
            .contains(
                "was not greater than the threshold (100000.0) (minimum 1 datapoint for ALARM -> OK"
                    + " transition)."),
        okMail.body());

    // Exactly one of each; the unconfirmed subscriber got only its confirmation request.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> Mailbox.to(mail, SUBSCRIBER).size() == 3);
    assertEquals(
        List.of("Portico Notification - Subscription Confirmation"),
        Mailbox.to(mail, UNCONFIRMED).stream().map(Mailbox.Mail::subject).toList());

    // The history tells the story, newest first.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                alarms
                        .expect(
                            200,
                            "GET",
                            "/alarm-history?AlarmName="
                                + Definitions.LAB_ALARM
                                + "&HistoryItemType=Action",
                            null)
                        .get("AlarmHistoryItems")
                        .size()
                    == 4);
    JsonNode history =
        alarms.expect(200, "GET", "/alarm-history?AlarmName=" + Definitions.LAB_ALARM, null);
    List<String> summaries =
        StreamSupport.stream(history.get("AlarmHistoryItems").spliterator(), false)
            .map(i -> i.get("HistorySummary").asText())
            .toList();
    assertTrue(
        summaries.contains("Alarm updated from INSUFFICIENT_DATA to ALARM"), summaries.toString());
    assertTrue(summaries.contains("Alarm updated from ALARM to OK"), summaries.toString());
    assertTrue(
        summaries.contains("Delivered notification to " + SUBSCRIBER + " (email)"),
        summaries.toString());
    assertEquals(
        "Alarm \"" + Definitions.LAB_ALARM + "\" created", summaries.get(summaries.size() - 1));
  }
}
