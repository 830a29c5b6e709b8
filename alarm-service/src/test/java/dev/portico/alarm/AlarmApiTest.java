package dev.portico.alarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The alarms API over HTTP on a real broker: every limit at its edge, every operation. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class AlarmApiTest {
  AlarmHarness alarms;

  @BeforeAll
  void start(TestKafka kafka) {
    alarms =
        new AlarmHarness(kafka, new MutableClock(Instant.parse("2023-09-08T07:07:14Z"))).start();
    Lab.topic(alarms, "ops");
  }

  @AfterAll
  void stop() {
    alarms.close();
  }

  static ObjectNode alarm() {
    try {
      return (ObjectNode) Json.MAPPER.readTree(Lab.ALARM_BODY.formatted("ops", "ops"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static ObjectNode noStatistic() {
    ObjectNode body = alarm();
    body.remove("Statistic");
    return body;
  }

  static String with(String field, Object value) {
    ObjectNode body = alarm();
    body.set(field, Json.MAPPER.valueToTree(value));
    return body.toString();
  }

  static List<String> strings(int n, String prefix) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(prefix + i);
    }
    return list;
  }

  static List<Map<String, String>> dimensions(int n, int valueLength) {
    List<Map<String, String>> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Map.of("Name", "d" + i, "Value", "v".repeat(valueLength)));
    }
    return list;
  }

  JsonNode rejected(String method, String path, String body) {
    HttpResponse<String> response = alarms.call(method, path, body);
    assertEquals(400, response.statusCode(), response.body());
    return AlarmHarness.json(response.body());
  }

  @Test
  void shouldEnforceEveryPutMetricAlarmLimitAtItsEdge() {
    alarms.expect(201, "PUT", "/alarms/" + "n".repeat(255), alarm().toString());
    assertTrue(
        rejected("PUT", "/alarms/" + "n".repeat(256), alarm().toString())
            .get("message")
            .asText()
            .contains("AlarmName must be 1-255 characters long (got 256)"));
    alarms.expect(201, "PUT", "/alarms/desc", with("AlarmDescription", "d".repeat(1024)));
    rejected("PUT", "/alarms/desc", with("AlarmDescription", "d".repeat(1025)));
    alarms.expect(201, "PUT", "/alarms/actions", with("AlarmActions", strings(5, "t")));
    assertEquals(
        "AlarmActions may have at most 5 items (got 6)",
        rejected("PUT", "/alarms/actions", with("OKActions", strings(6, "t")))
            .get("message")
            .asText()
            .replace("OKActions", "AlarmActions"));
    rejected("PUT", "/alarms/actions", with("InsufficientDataActions", strings(6, "t")));
    rejected("PUT", "/alarms/actions", with("AlarmActions", List.of("not a topic!")));
    rejected("PUT", "/alarms/actions", with("AlarmActions", List.of("a", "a")));
    alarms.expect(201, "PUT", "/alarms/dims", with("Dimensions", dimensions(30, 1024)));
    rejected("PUT", "/alarms/dims", with("Dimensions", dimensions(31, 1)));
    rejected("PUT", "/alarms/dims", with("Dimensions", dimensions(1, 1025)));
    alarms.expect(201, "PUT", "/alarms/period10", with("Period", 10));
    alarms.expect(201, "PUT", "/alarms/period120", with("Period", 120));
    rejected("PUT", "/alarms/period", with("Period", 7));
    rejected("PUT", "/alarms/period", with("Period", 90));
    ObjectNode day = alarm().put("Period", 3600).put("EvaluationPeriods", 24);
    alarms.expect(201, "PUT", "/alarms/day", day.toString());
    rejected("PUT", "/alarms/day", day.put("EvaluationPeriods", 25).toString());
    rejected(
        "PUT",
        "/alarms/m",
        alarm().put("EvaluationPeriods", 2).put("DatapointsToAlarm", 3).toString());
    alarms.expect(
        201, "PUT", "/alarms/p100", noStatistic().put("ExtendedStatistic", "p100").toString());
    rejected("PUT", "/alarms/p", noStatistic().put("ExtendedStatistic", "p100.1").toString());
    rejected("PUT", "/alarms/both", with("ExtendedStatistic", "p99"));
    rejected("PUT", "/alarms/none", noStatistic().toString());
    rejected("PUT", "/alarms/op", with("ComparisonOperator", "GreaterThanUpperThreshold"));
    rejected("PUT", "/alarms/tmd", with("TreatMissingData", "sometimes"));
    rejected("PUT", "/alarms/thr", with("Threshold", "high"));
    rejected("PUT", "/alarms/ns", with("Namespace", ":AWS"));
    rejected("PUT", "/alarms/unit", with("Unit", "Furlongs"));
  }

  @Test
  void shouldNameEveryProblemOfABadRequestAtOnce() {
    JsonNode error =
        rejected(
            "PUT",
            "/alarms/bad",
            "{\"Namespace\":\"\",\"Period\":7,\"Tags\":[],\"ComparisonOperator\":\"Bigger\"}");
    List<String> problems =
        StreamSupport.stream(error.get("problems").spliterator(), false)
            .map(JsonNode::asText)
            .toList();
    for (String expected :
        List.of(
            "Unknown field Tags",
            "Namespace must be 1-255 characters long (got 0)",
            "MetricName is required",
            "Give exactly one of Statistic and ExtendedStatistic",
            "Period must be 1, 5, 10, 30 or a multiple of 60 seconds (got 7)",
            "EvaluationPeriods is required",
            "Threshold is required")) {
      assertTrue(problems.contains(expected), expected + " not in " + problems);
    }
    assertEquals("The request has " + problems.size() + " problems", error.get("message").asText());
    assertEquals(
        "The request body is not valid JSON: Unexpected character ('n' (code 110)): was expecting"
            + " double-quote to start field name",
        rejected("PUT", "/alarms/bad", "{not json").get("message").asText());
    assertEquals(
        "The request body must be a JSON object",
        rejected("PUT", "/alarms/bad", "[1]").get("message").asText());
    assertEquals(
        "The body's AlarmName does not match the path's",
        rejected("PUT", "/alarms/bad", with("AlarmName", "other")).get("message").asText());
  }

  @Test
  void namesWithSpacesSlashesAndHangulShouldWorkInPathsAndBodies() {
    String name = "api/prod 5xx 경보";
    String encoded = "api%2Fprod%205xx%20%EA%B2%BD%EB%B3%B4";
    alarms.expect(201, "POST", "/alarms", with("AlarmName", name));
    assertEquals(
        name, alarms.expect(200, "GET", "/alarms/" + encoded, null).get("AlarmName").asText());
    Lab.setState(alarms, encoded, "ALARM");
    alarms.expect(204, "DELETE", "/alarms/" + encoded, null);
  }

  @Test
  void shouldAnswerUnknownRoutesAndMethodsWithJson() {
    HttpResponse<String> missing = alarms.call("GET", "/nothing-here", null);
    assertEquals(404, missing.statusCode());
    assertEquals("No such resource", AlarmHarness.json(missing.body()).get("message").asText());
    assertEquals(404, alarms.call("GET", "/alarms/never-created", null).statusCode());
    assertEquals(405, alarms.call("PATCH", "/alarms/x", "{}").statusCode());
  }

  @Test
  void describeShouldFilterAndPage() {
    for (String name : List.of("page-a", "page-b", "page-c")) {
      alarms.expect(201, "PUT", "/alarms/" + name, alarm().toString());
    }
    JsonNode first = alarms.expect(200, "GET", "/alarms?AlarmNamePrefix=page-&MaxRecords=2", null);
    assertEquals(2, first.get("MetricAlarms").size());
    assertEquals("page-a", first.at("/MetricAlarms/0/AlarmName").asText());
    JsonNode second =
        alarms.expect(
            200,
            "GET",
            "/alarms?AlarmNamePrefix=page-&MaxRecords=2&NextToken="
                + first.get("NextToken").asText(),
            null);
    assertEquals(1, second.get("MetricAlarms").size());
    assertEquals("page-c", second.at("/MetricAlarms/0/AlarmName").asText());
    assertFalse(second.has("NextToken"));
    JsonNode named = alarms.expect(200, "GET", "/alarms?AlarmNames=page-b&AlarmNames=page-c", null);
    assertEquals(2, named.get("MetricAlarms").size());
    assertEquals("INSUFFICIENT_DATA", named.at("/MetricAlarms/0/StateValue").asText());
    rejected("GET", "/alarms?AlarmNames=a&AlarmNamePrefix=b", null);
    rejected("GET", "/alarms?MaxRecords=101", null);
    rejected("GET", "/alarms?StateValue=BROKEN", null);
    rejected("GET", "/alarms?Limit=1", null);
  }

  @Test
  void deleteShouldBeAllOrNothingAndHistoryShouldOutliveTheAlarm() {
    alarms.expect(201, "PUT", "/alarms/gone-1", alarm().toString());
    alarms.expect(201, "PUT", "/alarms/gone-2", alarm().toString());
    HttpResponse<String> partly =
        alarms.call("POST", "/alarms/delete", "{\"AlarmNames\":[\"gone-1\",\"never\"]}");
    assertEquals(404, partly.statusCode());
    assertTrue(partly.body().contains("Alarms not found: never"), partly.body());
    alarms.expect(200, "GET", "/alarms/gone-1", null);
    rejected("POST", "/alarms/delete", Json.toString(Map.of("AlarmNames", strings(101, "x"))));
    rejected("POST", "/alarms/delete", "{\"AlarmNames\":[]}");
    alarms.expect(204, "POST", "/alarms/delete", "{\"AlarmNames\":[\"gone-1\",\"gone-2\"]}");
    assertEquals(404, alarms.call("GET", "/alarms/gone-1", null).statusCode());
    assertEquals(404, alarms.call("DELETE", "/alarms/gone-1", null).statusCode());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                alarms
                    .expect(200, "GET", "/alarm-history?AlarmName=gone-1", null)
                    .toString()
                    .contains("Alarm \\\"gone-1\\\" deleted"));
  }

  @Test
  void updateShouldKeepTheStateAndSetAlarmStateShouldValidate() {
    alarms.expect(201, "PUT", "/alarms/keep", alarm().toString());
    Lab.setState(alarms, "keep", "ALARM");
    JsonNode updated =
        alarms.expect(200, "PUT", "/alarms/keep", alarm().put("Threshold", 5).toString());
    assertEquals("ALARM", updated.get("StateValue").asText());
    assertEquals("testing the notification", updated.get("StateReason").asText());
    assertEquals(5.0, updated.get("Threshold").asDouble());
    String state = "/alarms/keep/state";
    rejected("POST", state, "{\"StateValue\":\"BROKEN\",\"StateReason\":\"x\"}");
    rejected("POST", state, "{\"StateValue\":\"OK\"}");
    alarms.expect(
        200, "POST", state, "{\"StateValue\":\"OK\",\"StateReason\":\"" + "r".repeat(1023) + "\"}");
    rejected("POST", state, "{\"StateValue\":\"OK\",\"StateReason\":\"" + "r".repeat(1024) + "\"}");
    rejected(
        "POST",
        state,
        "{\"StateValue\":\"OK\",\"StateReason\":\"x\",\"StateReasonData\":\"{oops\"}");
    alarms.expect(
        200,
        "POST",
        state,
        "{\"StateValue\":\"ALARM\",\"StateReason\":\"x\",\"StateReasonData\":\"{\\\"a\\\":1}\"}");
    assertEquals(
        404,
        alarms
            .call("POST", "/alarms/nope/state", "{\"StateValue\":\"OK\",\"StateReason\":\"x\"}")
            .statusCode());
    JsonNode history =
        alarms.expect(
            200,
            "GET",
            "/alarm-history?AlarmName=keep&HistoryItemType=StateUpdate&MaxRecords=1",
            null);
    assertEquals(1, history.get("AlarmHistoryItems").size());
    assertEquals(
        "Alarm updated from OK to ALARM",
        history.at("/AlarmHistoryItems/0/HistorySummary").asText());
    JsonNode older =
        alarms.expect(
            200,
            "GET",
            "/alarm-history?AlarmName=keep&HistoryItemType=StateUpdate&MaxRecords=1&NextToken="
                + history.get("NextToken").asText(),
            null);
    assertEquals(
        "Alarm updated from ALARM to OK", older.at("/AlarmHistoryItems/0/HistorySummary").asText());
    rejected("GET", "/alarm-history?HistoryItemType=Everything", null);
    rejected("GET", "/alarm-history?StartDate=yesterday", null);
  }

  @Test
  void disabledActionsShouldNotifyNobody() {
    alarms.expect(201, "PUT", "/alarms/quiet", with("AlarmActions", List.of("quiet-topic")));
    Lab.topic(alarms, "quiet-topic");
    Lab.subscribe(alarms, "quiet-topic", "http", "http://127.0.0.1:9/never");
    alarms.expect(204, "POST", "/alarms/disable-actions", "{\"AlarmNames\":[\"quiet\"]}");
    assertFalse(alarms.expect(200, "GET", "/alarms/quiet", null).get("ActionsEnabled").asBoolean());
    Lab.setState(alarms, "quiet", "ALARM");
    alarms.expect(204, "POST", "/alarms/enable-actions", "{\"AlarmNames\":[\"quiet\"]}");
    assertTrue(alarms.expect(200, "GET", "/alarms/quiet", null).get("ActionsEnabled").asBoolean());
    // The transition made while disabled published nothing; its history has no Action entry.
    JsonNode actions =
        alarms.expect(200, "GET", "/alarm-history?AlarmName=quiet&HistoryItemType=Action", null);
    assertEquals(0, actions.get("AlarmHistoryItems").size());
    assertEquals(
        404,
        alarms.call("POST", "/alarms/enable-actions", "{\"AlarmNames\":[\"nope\"]}").statusCode());
  }

  @Test
  void shouldAlarmOnMOfNDatapointsThatAreNotConsecutive() {
    alarms.expect(
        201,
        "PUT",
        "/alarms/m-of-n",
        alarm()
            .put("MetricName", "Errors")
            .put("EvaluationPeriods", 3)
            .put("DatapointsToAlarm", 2)
            .put("Threshold", 10)
            .put("TreatMissingData", "notBreaching")
            .toString());
    Map<String, String> dims = Map.of("VolumeId", "vol-00f66de5615226721");
    alarms.datapoint("Portico/Lab", "Errors", dims, 60, "2023-09-08T07:04:00Z", 50);
    alarms.datapoint("Portico/Lab", "Errors", dims, 60, "2023-09-08T07:05:00Z", 1);
    alarms.datapoint("Portico/Lab", "Errors", dims, 60, "2023-09-08T07:06:00Z", 70);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "ALARM"
                    .equals(
                        alarms
                            .expect(200, "GET", "/alarms/m-of-n", null)
                            .get("StateValue")
                            .asText()));
    assertEquals(
        "Threshold Crossed: 2 out of the last 3 datapoints [70.0 (08/09/23 07:06:00), 50.0"
            + " (08/09/23 07:04:00)] were greater than the threshold (10.0) (minimum 2 datapoints"
            + " for OK -> ALARM transition).",
        alarms.expect(200, "GET", "/alarms/m-of-n", null).get("StateReason").asText());
  }

  @Test
  void aPercentileAlarmShouldReadTheDatapointsSketch() throws Exception {
    alarms.expect(
        201,
        "PUT",
        "/alarms/latency-p90",
        noStatistic()
            .put("MetricName", "Latency")
            .put("ExtendedStatistic", "p90")
            .put("Threshold", 500)
            .toString());
    DDSketch sketch = DDSketches.unboundedDense(0.01);
    for (int i = 1; i <= 100; i++) {
      sketch.accept(i <= 85 ? 20 : 900); // p90 is 900 ms, the average only 149 ms
    }
    GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
    sketch.encode(out, false);
    alarms.publish(
        new MetricDatapoint(
            "Portico/Lab",
            "Latency",
            Map.of("VolumeId", "vol-00f66de5615226721"),
            60,
            Instant.parse("2023-09-08T07:06:00Z").toEpochMilli(),
            100,
            85 * 20 + 15 * 900,
            20,
            900,
            "Milliseconds",
            Base64.getEncoder().encodeToString(out.trimmedCopy())));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "ALARM"
                    .equals(
                        alarms
                            .expect(200, "GET", "/alarms/latency-p90", null)
                            .get("StateValue")
                            .asText()));
    String reason =
        alarms.expect(200, "GET", "/alarms/latency-p90", null).get("StateReason").asText();
    double value =
        Double.parseDouble(
            reason.substring(reason.indexOf('[') + 1, reason.indexOf(' ', reason.indexOf('['))));
    assertEquals(900, value, 9.0, "within the sketch's 1% relative error: " + reason);
  }

  @Test
  void compositeAlarmsShouldFollowTheirRuleAndRejectCycles() {
    alarms.expect(201, "PUT", "/alarms/child-a", alarm().toString());
    alarms.expect(201, "PUT", "/alarms/child-b", alarm().toString());
    JsonNode composite =
        alarms.expect(
            201,
            "PUT",
            "/composite-alarms/parent",
            "{\"AlarmRule\":\"ALARM(child-a) AND NOT OK(\\\"child-b\\\")\",\"AlarmActions\":[\"ops\"]}");
    assertEquals("ALARM(child-a) AND NOT OK(\"child-b\")", composite.get("AlarmRule").asText());
    Lab.setState(alarms, "child-a", "ALARM");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "ALARM"
                    .equals(
                        alarms
                            .expect(200, "GET", "/alarms/parent", null)
                            .get("StateValue")
                            .asText()));
    assertTrue(
        alarms
            .expect(200, "GET", "/alarms/parent", null)
            .get("StateReason")
            .asText()
            .startsWith("child-a transitioned to ALARM at "));
    JsonNode described =
        alarms.expect(200, "GET", "/alarms?AlarmTypes=CompositeAlarm&AlarmNamePrefix=par", null);
    assertEquals("parent", described.at("/CompositeAlarms/0/AlarmName").asText());

    alarms.expect(201, "PUT", "/composite-alarms/grandparent", "{\"AlarmRule\":\"ALARM(parent)\"}");
    JsonNode cycle =
        rejected(
            "PUT",
            "/composite-alarms/parent",
            "{\"AlarmRule\":\"ALARM(grandparent) OR ALARM(child-a)\"}");
    assertEquals(
        "AlarmRule would create a cycle: parent -> grandparent -> parent",
        cycle.get("message").asText());
    rejected("PUT", "/composite-alarms/self", "{\"AlarmRule\":\"ALARM(self)\"}");
    rejected("PUT", "/composite-alarms/typo", "{\"AlarmRule\":\"ALARM(child-a) AND\"}");
    rejected("PUT", "/composite-alarms/missing", "{\"AlarmRule\":\"ALARM(nobody)\"}");
    rejected("PUT", "/composite-alarms/child-a", "{\"AlarmRule\":\"ALARM(child-b)\"}");
    JsonNode referenced = rejected("DELETE", "/alarms/child-a", null);
    assertEquals(
        "Alarm \"child-a\" is named by composite alarm \"parent\"",
        referenced.get("message").asText());
    alarms.expect(
        204, "POST", "/alarms/delete", "{\"AlarmNames\":[\"grandparent\",\"parent\",\"child-a\"]}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "POST | /alarms/enable-actions | {}",
        "POST | /alarms/delete | {\"AlarmNames\":\"one\"}",
        "PUT | /composite-alarms/x | {\"AlarmRule\":\"\"}",
      })
  void batchAndCompositeBodiesShouldBeValidated(String method, String path, String body) {
    rejected(method, path, body);
  }
}
