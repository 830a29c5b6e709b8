package dev.portico.alarm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.alarm.Definitions;
import dev.portico.alarm.model.Datapoint;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.AlarmDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricEvaluatorTest {
  static final long T0 = Instant.parse("2023-09-08T07:00:00Z").toEpochMilli();
  static final long MINUTE = 60_000;

  /** Datapoints from a row of the spec's table: oldest first, 0 ok, X breaching, - missing. */
  static List<Datapoint> row(String row) {
    List<Datapoint> points = new ArrayList<>();
    String[] slots = row.trim().split("\\s+");
    for (int i = 0; i < slots.length; i++) {
      if (!slots[i].equals("-")) {
        points.add(new Datapoint(T0 + i * MINUTE, slots[i].equals("X") ? 2.0 : 0.0, 1));
      }
    }
    return points;
  }

  /** The spec's worked cases, 3 of 3 datapoints, for every TreatMissingData. */
  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource({
    "0 - X - X, missing, OK",
    "0 - X - X, ignore, OK",
    "0 - X - X, breaching, OK",
    "0 - X - X, notBreaching, OK",
    "- - - - -, missing, INSUFFICIENT_DATA",
    "- - - - -, ignore, keep",
    "- - - - -, breaching, ALARM",
    "- - - - -, notBreaching, OK",
    "0 X X - X, missing, ALARM",
    "0 X X - X, ignore, ALARM",
    "0 X X - X, breaching, ALARM",
    "0 X X - X, notBreaching, ALARM",
    "- - X - -, missing, ALARM",
    "- - X - -, ignore, keep",
    "- - X - -, breaching, ALARM",
    "- - X - -, notBreaching, OK",
  })
  void shouldFollowTheTreatMissingDataTable(String row, String treatment, String expected) {
    AlarmDefinition def = Definitions.metric("t", "GreaterThanThreshold", 1.0, 60, 3, 3, treatment);
    Verdict verdict = MetricEvaluator.evaluate(def, row(row), T0 + 4 * MINUTE, T0 + 6 * MINUTE);
    assertEquals(expected, verdict.keep() ? "keep" : verdict.value());
  }

  @Test
  void shouldAlarmOnMOfNBreachingDatapointsThatAreNotConsecutive() {
    AlarmDefinition def = Definitions.metric("t", "GreaterThanThreshold", 1.0, 60, 5, 3, "missing");
    Verdict alarm = MetricEvaluator.evaluate(def, row("X 0 X 0 X"), T0 + 4 * MINUTE, T0);
    assertEquals("ALARM", alarm.value());
    assertEquals(
        "Threshold Crossed: 3 out of the last 5 datapoints [2.0 (08/09/23 07:04:00), 2.0 (08/09/23"
            + " 07:02:00), 2.0 (08/09/23 07:00:00)] were greater than the threshold (1.0) (minimum 3"
            + " datapoints for OK -> ALARM transition).",
        alarm.reason());
    Verdict ok = MetricEvaluator.evaluate(def, row("X 0 X 0 0"), T0 + 4 * MINUTE, T0);
    assertEquals("OK", ok.value());
    assertEquals(
        "Threshold Crossed: 3 out of the last 5 datapoints [0.0 (08/09/23 07:04:00), 0.0 (08/09/23"
            + " 07:03:00), 0.0 (08/09/23 07:01:00)] were not greater than the threshold (1.0)"
            + " (minimum 3 datapoints for ALARM -> OK transition).",
        ok.reason());
  }

  @Test
  void shouldWriteTheSourceLabsReasonWordForWord() {
    long slot = Instant.parse("2023-09-08T07:06:00Z").toEpochMilli();
    Verdict verdict =
        MetricEvaluator.evaluate(
            Definitions.lab(),
            List.of(new Datapoint(slot, 248827.87525987526, 1)),
            slot,
            Instant.parse("2023-09-08T07:11:14Z").toEpochMilli());
    assertEquals("ALARM", verdict.value());
    assertEquals(
        "Threshold Crossed: 1 out of the last 1 datapoints [248827.87525987526 (08/09/23"
            + " 07:06:00)] was greater than the threshold (100000.0) (minimum 1 datapoint for OK ->"
            + " ALARM transition).",
        verdict.reason());
  }

  @Test
  void shouldExplainARecoveryWithNotAndTheReverseTransition() {
    long slot = T0 + 7 * MINUTE;
    Verdict verdict =
        MetricEvaluator.evaluate(
            Definitions.lab(), List.of(new Datapoint(slot, 5.0, 1)), slot, slot);
    assertEquals("OK", verdict.value());
    assertEquals(
        "Threshold Crossed: 1 out of the last 1 datapoints [5.0 (08/09/23 07:07:00)] was not"
            + " greater than the threshold (100000.0) (minimum 1 datapoint for ALARM -> OK"
            + " transition).",
        verdict.reason());
  }

  @Test
  void shouldUsePluralsAndEachComparisonsWords() {
    AlarmDefinition def =
        Definitions.metric("t", "GreaterThanOrEqualToThreshold", 1.0, 60, 3, 3, "missing");
    Verdict verdict = MetricEvaluator.evaluate(def, row("- - X X X"), T0 + 4 * MINUTE, T0);
    assertEquals(
        "Threshold Crossed: 3 out of the last 3 datapoints [2.0 (08/09/23 07:04:00), 2.0 (08/09/23"
            + " 07:03:00), 2.0 (08/09/23 07:02:00)] were greater than or equal to the threshold"
            + " (1.0) (minimum 3 datapoints for OK -> ALARM transition).",
        verdict.reason());
    for (String[] c :
        new String[][] {
          {"LessThanThreshold", "0.5", "ALARM", "was less than"},
          {"LessThanThreshold", "1.0", "OK", "was not less than"},
          {"LessThanOrEqualToThreshold", "1.0", "ALARM", "was less than or equal to"},
          {"GreaterThanThreshold", "1.0", "OK", "was not greater than"},
          {"GreaterThanOrEqualToThreshold", "1.0", "ALARM", "was greater than or equal to"},
        }) {
      AlarmDefinition one = Definitions.metric("t", c[0], 1.0, 60, 1, 1, "missing");
      Verdict v =
          MetricEvaluator.evaluate(
              one, List.of(new Datapoint(T0, Double.parseDouble(c[1]), 1)), T0, T0);
      assertEquals(c[2], v.value(), c[0] + " " + c[1]);
      assertTrue(v.reason().contains("] " + c[3] + " the threshold (1.0)"), v.reason());
    }
  }

  @Test
  void shouldExplainMissingDataAsTheSpecWritesIt() {
    AlarmDefinition breaching =
        Definitions.metric("t", "GreaterThanThreshold", 1.0, 60, 2, 2, "breaching");
    assertEquals(
        "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints"
            + " were treated as [Breaching].",
        MetricEvaluator.evaluate(breaching, List.of(), T0, T0).reason());
    AlarmDefinition notBreaching =
        Definitions.metric("t", "GreaterThanThreshold", 1.0, 60, 1, 1, "notBreaching");
    assertEquals(
        "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was"
            + " treated as [NonBreaching].",
        MetricEvaluator.evaluate(notBreaching, List.of(), T0, T0).reason());
    assertEquals(
        "Insufficient Data: 1 datapoint was unknown.",
        MetricEvaluator.evaluate(Definitions.lab(), List.of(), T0, T0).reason());
  }

  @Test
  void shouldUseTheNewestNRealDatapointsAndIgnoreThoseOutsideTheRange() {
    AlarmDefinition def = Definitions.metric("t", "GreaterThanThreshold", 1.0, 60, 2, 2, "missing");
    // range = 2 + 2 periods: slots 2..5 of "X X 0 - 0 -" count; the newest real are 0 (4) and 0 (2)
    Verdict v = MetricEvaluator.evaluate(def, row("X X 0 - 0 -"), T0 + 5 * MINUTE, T0);
    assertEquals("OK", v.value());
    Verdict old = MetricEvaluator.evaluate(def, row("X X - - - -"), T0 + 5 * MINUTE, T0);
    assertEquals("INSUFFICIENT_DATA", old.value(), "X X lie outside the evaluation range");
  }

  @Test
  void shouldWriteStateReasonDataWithCloudWatchsFields() throws Exception {
    long slot = Instant.parse("2023-09-08T07:06:00Z").toEpochMilli();
    Verdict verdict =
        MetricEvaluator.evaluate(
            Definitions.lab(),
            List.of(new Datapoint(slot, 248827.87525987526, 3)),
            slot,
            Instant.parse("2023-09-08T07:11:14.123Z").toEpochMilli());
    JsonNode data = Json.MAPPER.readTree(verdict.reasonData());
    assertEquals("1.0", data.get("version").asText());
    assertEquals("2023-09-08T07:11:14.123+0000", data.get("queryDate").asText());
    assertEquals("2023-09-08T07:06:00.000+0000", data.get("startDate").asText());
    assertEquals("Maximum", data.get("statistic").asText());
    assertEquals(60, data.get("period").asInt());
    assertEquals(248827.87525987526, data.get("recentDatapoints").get(0).asDouble());
    assertEquals(100000.0, data.get("threshold").asDouble());
    assertEquals(3.0, data.at("/evaluatedDatapoints/0/sampleCount").asDouble());
    assertTrue(verdict.reasonData().startsWith("{\"version\":\"1.0\",\"queryDate\""));
  }
}
