package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.MetricDatum;
import dev.portico.metrics.http.BadRequest;
import dev.portico.metrics.ingest.PutMetricDataRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every PutMetricData limit, at its edge: the last value accepted and the first refused. */
class PutMetricDataValidationTest {
  static final long NOW = 1_800_000_000_000L;

  static MetricDatum datum(
      String name, Map<String, String> dimensions, Long timestamp, Double value) {
    return new MetricDatum(null, name, dimensions, timestamp, value, null, null, null, null, null);
  }

  static MetricDatum value(double value) {
    return datum("M", Map.of(), null, value);
  }

  static List<MetricDatum> accept(String namespace, List<MetricDatum> datums) {
    return new PutMetricDataRequest(namespace, datums).validDatums(NOW);
  }

  static BadRequest refuse(String namespace, List<MetricDatum> datums) {
    return assertThrows(
        BadRequest.class, () -> new PutMetricDataRequest(namespace, datums).validDatums(NOW));
  }

  static void refusedWith(String expectedProblem, MetricDatum datum) {
    BadRequest refused = refuse("App", List.of(datum));
    assertEquals(400, refused.status());
    assertTrue(
        refused.problems().stream().anyMatch(p -> p.startsWith(expectedProblem)),
        refused.problems().toString());
  }

  @Test
  void shouldTakeUpToOneThousandDatumsPerCall() {
    assertEquals(1000, accept("App", Collections.nCopies(1000, value(1))).size());
    BadRequest refused = refuse("App", Collections.nCopies(1001, value(1)));
    assertEquals("MetricData: must hold 1-1000 datums (got 1001)", refused.getMessage());
    refuse("App", List.of());
    refuse("App", null);
  }

  @Test
  void shouldFillInTheNamespaceAndAMissingTimestamp() {
    MetricDatum accepted = accept("App", List.of(value(2))).get(0);
    assertEquals("App", accepted.namespace());
    assertEquals(NOW, accepted.timestamp());
  }

  @Test
  void shouldLimitNamesToTwoHundredFiftyFiveCharacters() {
    accept("n".repeat(255), List.of(datum("m".repeat(255), Map.of(), null, 1.0)));
    refusedWith("MetricData[0].MetricName", datum("m".repeat(256), Map.of(), null, 1.0));
    refusedWith("MetricData[0].MetricName", datum("", Map.of(), null, 1.0));
    assertTrue(
        refuse("n".repeat(256), List.of(value(1))).problems().get(0).startsWith("Namespace"));
    assertTrue(refuse("", List.of(value(1))).problems().get(0).startsWith("Namespace"));
    assertTrue(refuse("Portico/Gateway", List.of(value(1))).getMessage().contains("reserved"));
  }

  @Test
  void shouldTakeUpToThirtyDimensionsWithBoundedNamesAndValues() {
    Map<String, String> thirty = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      thirty.put("D" + i, "v");
    }
    accept("App", List.of(datum("M", thirty, null, 1.0)));
    Map<String, String> thirtyOne = new HashMap<>(thirty);
    thirtyOne.put("D30", "v");
    refusedWith("MetricData[0].Dimensions: at most 30", datum("M", thirtyOne, null, 1.0));

    accept("App", List.of(datum("M", Map.of("n".repeat(255), "v".repeat(1024)), null, 1.0)));
    refusedWith(
        "MetricData[0].Dimensions: a dimension name",
        datum("M", Map.of("n".repeat(256), "v"), null, 1.0));
    refusedWith(
        "MetricData[0].Dimensions.D: the value must be 1-1024",
        datum("M", Map.of("D", "v".repeat(1025)), null, 1.0));
    refusedWith("MetricData[0].Dimensions.D", datum("M", Map.of("D", ""), null, 1.0));
  }

  @Test
  void shouldRejectNaNAndInfinityWherEverANumberIs() {
    for (double bad :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      refusedWith("MetricData[0].Value: NaN and Infinity are not allowed", value(bad));
      refusedWith(
          "MetricData[0].Values[1]: NaN and Infinity",
          new MetricDatum(null, "M", null, null, null, null, List.of(1.0, bad), null, null, null));
      refusedWith(
          "MetricData[0].Counts[0]: NaN and Infinity",
          new MetricDatum(
              null, "M", null, null, null, null, List.of(1.0), List.of(bad), null, null));
      refusedWith(
          "MetricData[0].StatisticValues.Sum: NaN and Infinity",
          new MetricDatum(
              null,
              "M",
              null,
              null,
              null,
              new MetricDatum.StatisticSet(1, bad, 1, 1),
              null,
              null,
              null,
              null));
    }
  }

  @Test
  void shouldTakeTimestampsUpToTwoWeeksOldAndTwoHoursAhead() {
    long twoWeeks = Duration.ofDays(14).toMillis();
    long twoHours = Duration.ofHours(2).toMillis();
    accept("App", List.of(datum("M", Map.of(), NOW - twoWeeks, 1.0)));
    accept("App", List.of(datum("M", Map.of(), NOW + twoHours, 1.0)));
    refusedWith(
        "MetricData[0].Timestamp: must not be more than 2 weeks in the past",
        datum("M", Map.of(), NOW - twoWeeks - 1, 1.0));
    refusedWith(
        "MetricData[0].Timestamp: must not be more than 2 hours in the future",
        datum("M", Map.of(), NOW + twoHours + 1, 1.0));
  }

  @Test
  void shouldTakeExactlyOneKindOfValue() {
    refusedWith("MetricData[0]: exactly one of", datum("M", Map.of(), null, null));
    refusedWith(
        "MetricData[0]: exactly one of",
        new MetricDatum(null, "M", null, null, 1.0, null, List.of(1.0), null, null, null));
    refusedWith(
        "MetricData[0].Counts: must have as many",
        new MetricDatum(
            null, "M", null, null, null, null, List.of(1.0, 2.0), List.of(1.0), null, null));
    List<Double> max = Collections.nCopies(150, 1.0);
    accept(
        "App", List.of(new MetricDatum(null, "M", null, null, null, null, max, null, null, null)));
    refusedWith(
        "MetricData[0].Values: must hold 1-150",
        new MetricDatum(
            null, "M", null, null, null, null, Collections.nCopies(151, 1.0), null, null, null));
    refusedWith(
        "MetricData[0].StatisticValues.SampleCount: must be greater than 0",
        new MetricDatum(
            null,
            "M",
            null,
            null,
            null,
            new MetricDatum.StatisticSet(0, 0, 0, 0),
            null,
            null,
            null,
            null));
    refusedWith(
        "MetricData[0].StatisticValues: Minimum must not be greater",
        new MetricDatum(
            null,
            "M",
            null,
            null,
            null,
            new MetricDatum.StatisticSet(2, 3, 2, 1),
            null,
            null,
            null,
            null));
  }

  @Test
  void shouldTakeStorageResolutionOneOrSixtyAndCloudWatchUnits() {
    for (int resolution : new int[] {1, 60}) {
      accept(
          "App",
          List.of(
              new MetricDatum(
                  null, "M", null, null, 1.0, null, null, null, "Seconds", resolution)));
    }
    refusedWith(
        "MetricData[0].StorageResolution",
        new MetricDatum(null, "M", null, null, 1.0, null, null, null, null, 5));
    refusedWith(
        "MetricData[0].Unit",
        new MetricDatum(null, "M", null, null, 1.0, null, null, null, "Parsecs", null));
  }

  @Test
  void shouldNameEveryProblemOfEveryDatumAtOnce() {
    List<MetricDatum> datums = new ArrayList<>();
    datums.add(value(1));
    datums.add(value(Double.NaN));
    datums.add(datum("", Map.of(), null, 1.0));
    datums.add(new MetricDatum("Other", "M", null, null, 1.0, null, null, null, null, null));
    BadRequest refused = refuse("App", datums);
    assertEquals(
        List.of(
            "MetricData[1].Value: NaN and Infinity are not allowed",
            "MetricData[2].MetricName: must be 1-255 characters",
            "MetricData[3].Namespace: must be left out or equal the request's Namespace"),
        refused.problems());
    assertTrue(refused.getMessage().startsWith("3 problems"));
  }
}
