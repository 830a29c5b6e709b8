package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.portico.testing.FreePorts;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alarms on metric math (PutMetricAlarm with Metrics) on a real broker and SMTP server: an API's
 * error rate {@code m1/m2*100 > 5} computed from the final datapoints of two metrics, reaching
 * ALARM only once both inputs of a period are in, then OK; and every Metrics rule refused with its
 * reason.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class MetricMathAlarmTest {
  static final String EMAIL = "oncall@example.com";
  static final Map<String, String> API = Map.of("ApiName", "shop");

  static final String ERROR_RATE =
      """
      {"AlarmDescription": "5xx rate of the shop API",
       "Metrics": [
         {"Id": "m1", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "Portico/Gateway",
           "MetricName": "5XXError", "Dimensions": [{"Name": "ApiName", "Value": "shop"}]},
           "Period": 60, "Stat": "Sum"}},
         {"Id": "m2", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "Portico/Gateway",
           "MetricName": "Count", "Dimensions": [{"Name": "ApiName", "Value": "shop"}]},
           "Period": 60, "Stat": "Sum"}},
         {"Id": "e1", "Expression": "m1/m2*100", "Label": "error rate (%%)"}],
       "EvaluationPeriods": 1, "Threshold": 5, "ComparisonOperator": "GreaterThanThreshold",
       "AlarmActions": ["%s"], "OKActions": ["%s"]}
      """;

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

  JsonNode alarm(String name) {
    return alarms.expect(200, "GET", "/alarms/" + name, null);
  }

  List<String> stateUpdates(String name) {
    JsonNode items =
        alarms
            .expect(
                200,
                "GET",
                "/alarm-history?AlarmName="
                    + name
                    + "&HistoryItemType=StateUpdate&ScanBy=TimestampAscending",
                null)
            .get("AlarmHistoryItems");
    List<String> summaries = new ArrayList<>();
    items.forEach(i -> summaries.add(i.get("HistorySummary").asText()));
    return summaries;
  }

  @Test
  void shouldAlarmOnAnErrorRateComputedFromTwoMetricsFinalDatapoints() {
    Lab.topic(alarms, "api-errors");
    Lab.confirmedEmail(alarms, mail, "api-errors", EMAIL);
    JsonNode created =
        alarms.expect(
            201,
            "PUT",
            "/alarms/shop-error-rate",
            ERROR_RATE.formatted("api-errors", "api-errors"));
    assertEquals("INSUFFICIENT_DATA", created.get("StateValue").asText());
    assertEquals("m1/m2*100", created.get("Metrics").get(2).get("Expression").asText());
    assertTrue(created.get("Metrics").get(2).get("ReturnData").asBoolean());
    assertEquals(60, created.get("Metrics").get(0).get("MetricStat").get("Period").asInt());
    assertFalse(created.has("MetricName"), "a math alarm has Metrics instead");

    // 07:06: 3 errors of 40 requests = 7.5 % > 5. The errors' datapoint alone decides nothing: the
    // period is evaluated once the requests' datapoint is in too, so the one transition's reason
    // carries the computed 7.5.
    alarms.datapoint("Portico/Gateway", "5XXError", API, 60, "2023-09-08T07:06:00Z", 3);
    // A datapoint of another API does not count.
    alarms.datapoint(
        "Portico/Gateway", "Count", Map.of("ApiName", "other"), 60, "2023-09-08T07:06:00Z", 1);
    alarms.datapoint("Portico/Gateway", "Count", API, 60, "2023-09-08T07:06:00Z", 40);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> alarm("shop-error-rate").get("StateValue").asText().equals("ALARM"));
    JsonNode alarmed = alarm("shop-error-rate");
    String reason =
        "Threshold Crossed: 1 out of the last 1 datapoints [7.5 (08/09/23 07:06:00)] was greater"
            + " than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition).";
    assertEquals(reason, alarmed.get("StateReason").asText());
    JsonNode data = AlarmHarness.json(alarmed.get("StateReasonData").asText());
    assertEquals(7.5, data.get("recentDatapoints").get(0).asDouble());
    assertEquals(60, data.get("period").asInt());
    assertEquals(
        List.of("Alarm updated from INSUFFICIENT_DATA to ALARM"), stateUpdates("shop-error-rate"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Mailbox.withSubjectPrefix(mail, EMAIL, "ALARM:").isEmpty());
    Mailbox.Mail email = Mailbox.withSubjectPrefix(mail, EMAIL, "ALARM:").get(0);
    assertEquals("ALARM: \"shop-error-rate\" in Portico", email.subject());
    assertTrue(email.body().contains(reason), email.body());
    assertTrue(email.body().contains("Monitored Metrics:"), email.body());
    assertTrue(email.body().contains("m1/m2*100"), email.body());

    // 07:07: 1 of 50 = 2 %, the inputs arriving the other way round: back to OK.
    alarms.datapoint("Portico/Gateway", "Count", API, 60, "2023-09-08T07:07:00Z", 50);
    alarms.datapoint("Portico/Gateway", "5XXError", API, 60, "2023-09-08T07:07:00Z", 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> alarm("shop-error-rate").get("StateValue").asText().equals("OK"));
    assertEquals(
        "Threshold Crossed: 1 out of the last 1 datapoints [2.0 (08/09/23 07:07:00)] was not"
            + " greater than the threshold (5.0) (minimum 1 datapoint for ALARM -> OK transition).",
        alarm("shop-error-rate").get("StateReason").asText());
    assertEquals(
        List.of("Alarm updated from INSUFFICIENT_DATA to ALARM", "Alarm updated from ALARM to OK"),
        stateUpdates("shop-error-rate"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Mailbox.withSubjectPrefix(mail, EMAIL, "OK:").isEmpty());
  }

  List<String> refused(String body) {
    var response = alarms.call("PUT", "/alarms/bad-math", body);
    assertEquals(400, response.statusCode(), response.body());
    JsonNode json = AlarmHarness.json(response.body());
    List<String> problems = new ArrayList<>();
    if (json.has("problems")) {
      json.get("problems").forEach(p -> problems.add(p.asText()));
    } else {
      problems.add(json.get("message").asText());
    }
    return problems;
  }

  static String metricsAlarm(String metrics) {
    return "{\"Metrics\": ["
        + metrics
        + "], \"EvaluationPeriods\": 1, \"Threshold\": 5,"
        + " \"ComparisonOperator\": \"GreaterThanThreshold\"}";
  }

  static String stat(String id, boolean returnData, int period) {
    return "{\"Id\": \""
        + id
        + "\", \"ReturnData\": "
        + returnData
        + ", \"MetricStat\": {\"Metric\": {\"Namespace\": \"Portico/Gateway\", \"MetricName\":"
        + " \"Count\"}, \"Period\": "
        + period
        + ", \"Stat\": \"Sum\"}}";
  }

  static String expression(String id, String expression, boolean returnData) {
    return "{\"Id\": \""
        + id
        + "\", \"Expression\": \""
        + expression
        + "\", \"ReturnData\": "
        + returnData
        + "}";
  }

  @Test
  void shouldRefuseMetricsThatCannotMakeAnAlarmWithTheirReasons() {
    assertEquals(
        List.of("Metrics[1].Expression: syntax error at position 4: the expression ends too early"),
        refused(metricsAlarm(stat("m1", false, 60) + "," + expression("e1", "m1/", true))));
    assertEquals(
        List.of("Metrics[1].Expression: unknown id 'm2' at position 4 (no query has this Id)"),
        refused(metricsAlarm(stat("m1", false, 60) + "," + expression("e1", "m1/m2", true))));
    assertEquals(
        List.of("Metrics: the expressions depend on each other in a cycle: e1 -> e2 -> e1"),
        refused(
            metricsAlarm(
                stat("m1", false, 60)
                    + ","
                    + expression("e1", "e2 + m1", true)
                    + ","
                    + expression("e2", "e1", false))));
    assertEquals(
        List.of("Metrics[1]: the alarm's value must be a single time series, but it is a scalar"),
        refused(metricsAlarm(stat("m1", false, 60) + "," + expression("e1", "SUM(m1)", true))));
    assertEquals(
        List.of(
            "Metrics[2]: the alarm's value must be a single time series, but it is an array of"
                + " time series"),
        refused(
            metricsAlarm(
                stat("m1", false, 60)
                    + ","
                    + stat("m2", false, 60)
                    + ","
                    + expression("e1", "METRICS() * 2", true))));
    assertEquals(
        List.of(
            "Metrics[1].Expression: at position 1: RATE takes a time series or an array, not a"
                + " scalar"),
        refused(metricsAlarm(stat("m1", false, 60) + "," + expression("e1", "RATE(5)", true))));
    assertEquals(
        List.of(
            "Exactly one entry of Metrics must have ReturnData true (the default); got 2: set"
                + " ReturnData false on the others"),
        refused(metricsAlarm(stat("m1", true, 60) + "," + expression("e1", "m1 * 2", true))));
    assertEquals(
        List.of("Every MetricStat of Metrics must have the same Period (got 60, 300)"),
        refused(
            metricsAlarm(
                stat("m1", false, 60)
                    + ","
                    + stat("m2", false, 300)
                    + ","
                    + expression("e1", "m1 + m2", true))));
    StringBuilder eleven = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      eleven.append(stat("m" + i, false, 60)).append(',');
    }
    assertEquals(
        List.of("Metrics may have at most 10 MetricStat (got 11)"),
        refused(metricsAlarm(eleven + expression("e1", "SUM(METRICS())", true))));
    assertEquals(
        List.of("Metrics must be an array of 1-20 MetricDataQuery objects"),
        refused(metricsAlarm("")));
    assertEquals(
        List.of(
            "Namespace cannot be used with Metrics: give the metrics in Metrics' MetricStat",
            "Metrics[0] must have exactly one of MetricStat and Expression",
            "Metrics must have at least one MetricStat"),
        refused(
            metricsAlarm("{\"Id\": \"m1\"}")
                .replace("{\"Metrics\"", "{\"Namespace\": \"x\", \"Metrics\"")));
    // A single MetricStat with ReturnData true is an alarm on that metric through Metrics.
    alarms.expect(201, "PUT", "/alarms/plain-through-metrics", metricsAlarm(stat("m1", true, 60)));
  }
}
