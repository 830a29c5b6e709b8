package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP API against a running service: PutMetricData in, final datapoints out, and
 * GetMetricStatistics / ListMetrics over them. One service for the class: ten minutes of data are
 * put once, then queried many ways.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
@Tag("integration")
class MetricsApiTest {
  /** The first of ten minutes of data, put when the clock reads T0. */
  static final Instant T0 =
      Instant.ofEpochMilli(Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000)
          .minus(Duration.ofMinutes(20));

  RunningMetrics metrics;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    MutableClock clock = new MutableClock(T0);
    metrics =
        new RunningMetrics(
                kafka.bootstrapServers(),
                kafka.freshPrefix(),
                Files.createTempDirectory("metrics-api"),
                clock)
            .start();
    // Minute m (0-9) gets the values m*10+1 .. m*10+10, one every 5 s, under Host=a.
    for (int minute = 0; minute < 10; minute++) {
      List<String> datums = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long time = T0.toEpochMilli() + minute * 60_000L + i * 5_000L;
        datums.add(
            "{\"MetricName\":\"Orders\",\"Dimensions\":{\"Host\":\"a\"},\"Timestamp\":"
                + time
                + ",\"Value\":"
                + (minute * 10 + i + 1)
                + ",\"Unit\":\"Count\"}");
      }
      var response =
          metrics.post(
              "/metrics/data",
              "{\"Namespace\":\"Shop\",\"MetricData\":[" + String.join(",", datums) + "]}");
      assertEquals(200, response.statusCode(), response.body());
    }
    // For metric math: ShopMath/Errors{Service=checkout}, one datum of value m in minute m (0-9),
    // except minute 3, which has none. (Another namespace and dimension name, so the list tests
    // below still see one metric.)
    List<String> errors = new ArrayList<>();
    for (int minute = 0; minute < 10; minute++) {
      if (minute != 3) {
        errors.add(
            "{\"MetricName\":\"Errors\",\"Dimensions\":{\"Service\":\"checkout\"},\"Timestamp\":"
                + (T0.toEpochMilli() + minute * 60_000L + 1_000)
                + ",\"Value\":"
                + minute
                + ",\"Unit\":\"Count\"}");
      }
    }
    var response =
        metrics.post(
            "/metrics/data",
            "{\"Namespace\":\"ShopMath\",\"MetricData\":[" + String.join(",", errors) + "]}");
    assertEquals(200, response.statusCode(), response.body());
    // Twenty minutes later every minute is past its grace, so final.
    metrics.awaitIngested("custom", 109);
    clock.advance(Duration.ofMinutes(20));
    metrics.awaitDatapoints(points -> points.stream().filter(p -> p.period() == 60).count() == 19);
  }

  @AfterAll
  void stop() {
    metrics.close();
  }

  JsonNode statistics(String query) throws Exception {
    var response = metrics.get("/metrics/statistics?namespace=Shop&metricName=Orders&" + query);
    assertEquals(200, response.statusCode(), response.body());
    return RunningMetrics.json(response);
  }

  static String range(int fromMinute, int toMinute) {
    return "startTime="
        + T0.plus(Duration.ofMinutes(fromMinute))
        + "&endTime="
        + T0.plus(Duration.ofMinutes(toMinute));
  }

  @Test
  void shouldEmitOneFinalDatapointPerMinuteWithExactStatistics() {
    List<MetricDatapoint> minutes =
        metrics.datapoints().stream()
            .filter(p -> p.period() == 60 && p.namespace().equals("Shop"))
            .toList();
    assertEquals(10, minutes.size());
    MetricDatapoint first =
        minutes.stream().filter(p -> p.timestamp() == T0.toEpochMilli()).findFirst().orElseThrow();
    assertEquals(10, first.sampleCount());
    assertEquals(55, first.sum());
    assertEquals(1, first.minimum());
    assertEquals(10, first.maximum());
    assertEquals(java.util.Map.of("Host", "a"), first.dimensions());
  }

  @Test
  void shouldAnswerStatisticsSortedByTimeWithStartInclusiveAndEndExclusive() throws Exception {
    JsonNode body =
        statistics("dimension=Host=a&period=60&statistics=Sum,SampleCount,Average&" + range(2, 5));
    assertEquals("Orders", body.get("Label").asText());
    JsonNode points = body.get("Datapoints");
    assertEquals(3, points.size(), body.toString());
    for (int i = 0; i < 3; i++) {
      int minute = 2 + i;
      JsonNode point = points.get(i);
      assertEquals(T0.plus(Duration.ofMinutes(minute)).toString(), point.get("Timestamp").asText());
      assertEquals(10, point.get("SampleCount").asDouble());
      double sum = 0;
      for (int v = 1; v <= 10; v++) {
        sum += minute * 10 + v;
      }
      assertEquals(sum, point.get("Sum").asDouble());
      assertEquals(sum / 10, point.get("Average").asDouble());
      assertEquals("Count", point.get("Unit").asText());
      assertFalse(point.has("Maximum"), "only the statistics asked for");
    }
  }

  @Test
  void shouldMergeMinutesIntoLongerPeriodsWithPercentilesWithinOnePercent() throws Exception {
    JsonNode body =
        statistics(
            "dimension=Host=a&period=300&statistics=Minimum,Maximum,p50,p99.9&" + range(0, 10));
    JsonNode points = body.get("Datapoints");
    assertEquals(2, points.size());
    assertEquals(1, points.get(0).get("Minimum").asDouble());
    assertEquals(50, points.get(0).get("Maximum").asDouble());
    assertEquals(51, points.get(1).get("Minimum").asDouble());
    double p50 = points.get(1).get("ExtendedStatistics").get("p50").asDouble();
    // 50 values 51..100: the value of rank floor(0.5 * 49) = 24 is 75.
    assertEquals(75, p50, 75 * 0.01);
    // Rank floor(0.999 * 49) = 48: the value 99.
    assertEquals(99, points.get(1).get("ExtendedStatistics").get("p99.9").asDouble(), 99 * 0.01);
  }

  @Test
  void shouldMatchDimensionsExactly() throws Exception {
    assertEquals(
        0, statistics("period=60&statistics=Sum&" + range(0, 10)).get("Datapoints").size());
    assertEquals(
        0,
        statistics("dimension=Host=b&period=60&statistics=Sum&" + range(0, 10))
            .get("Datapoints")
            .size());
  }

  @Test
  void shouldCapASeriesAtFourteenHundredFortyDatapoints() throws Exception {
    String start = T0.toString();
    var atCap =
        metrics.get(
            "/metrics/statistics?namespace=Shop&metricName=Orders&dimension=Host=a&period=60"
                + "&statistics=Sum&startTime="
                + start
                + "&endTime="
                + T0.plus(Duration.ofMinutes(1440)));
    assertEquals(200, atCap.statusCode(), atCap.body());
    var overCap =
        metrics.get(
            "/metrics/statistics?namespace=Shop&metricName=Orders&dimension=Host=a&period=60"
                + "&statistics=Sum&startTime="
                + start
                + "&endTime="
                + T0.plus(Duration.ofMinutes(1440)).plusMillis(1));
    assertEquals(400, overCap.statusCode());
    assertTrue(RunningMetrics.json(overCap).get("message").asText().contains("1440"));
  }

  @Test
  void shouldRejectBadQueriesWithEveryProblemNamed() throws Exception {
    var response =
        metrics.get(
            "/metrics/statistics?namespace=Shop&period=45&statistics=Sum,p101,Median"
                + "&startTime=yesterday&endTime="
                + T0);
    assertEquals(400, response.statusCode());
    JsonNode body = RunningMetrics.json(response);
    List<String> problems = new ArrayList<>();
    body.get("problems").forEach(p -> problems.add(p.asText()));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("metricName")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("period")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("'p101'")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("'Median'")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("startTime")), problems.toString());

    for (String period : List.of("1", "5", "10", "30", "60", "120")) {
      var ok =
          metrics.get(
              "/metrics/statistics?namespace=Shop&metricName=Orders&statistics=Sum&period="
                  + period
                  + "&startTime="
                  + metrics.clock.instant().minusSeconds(600)
                  + "&endTime="
                  + metrics.clock.instant());
      assertEquals(200, ok.statusCode(), period + ": " + ok.body());
    }
    var reversed =
        metrics.get(
            "/metrics/statistics?namespace=Shop&metricName=Orders&statistics=Sum&period=60&"
                + "startTime="
                + T0.plusSeconds(60)
                + "&endTime="
                + T0);
    assertEquals(400, reversed.statusCode());
  }

  @Test
  void shouldAnswerGetMetricDataForSeveralSeries() throws Exception {
    String metric =
        "{\"Namespace\":\"Shop\",\"MetricName\":\"Orders\",\"Dimensions\":{\"Host\":\"a\"}}";
    String body =
        "{\"StartTime\":\""
            + T0
            + "\",\"EndTime\":"
            + T0.plus(Duration.ofMinutes(3)).toEpochMilli()
            + ",\"MetricDataQueries\":["
            + "{\"Id\":\"sums\",\"MetricStat\":{\"Metric\":"
            + metric
            + ",\"Period\":60,\"Stat\":\"Sum\"}},"
            + "{\"Id\":\"median\",\"Label\":\"p50 of 3 min\",\"MetricStat\":{\"Metric\":"
            + metric
            + ",\"Period\":180,\"Stat\":\"p50\"}},"
            + "{\"Id\":\"hidden\",\"ReturnData\":false,\"MetricStat\":{\"Metric\":"
            + metric
            + ",\"Period\":60,\"Stat\":\"Maximum\"}}]}";
    var response = metrics.post("/metrics/data/query", body);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode results = RunningMetrics.json(response).get("MetricDataResults");
    assertEquals(2, results.size());
    JsonNode sums = results.get(0);
    assertEquals("sums", sums.get("Id").asText());
    assertEquals("Orders", sums.get("Label").asText());
    assertEquals("Complete", sums.get("StatusCode").asText());
    assertEquals(List.of(55.0, 155.0, 255.0), doubles(sums.get("Values")));
    assertEquals(T0.toString(), sums.get("Timestamps").get(0).asText());
    JsonNode median = results.get(1);
    assertEquals("p50 of 3 min", median.get("Label").asText());
    // 30 values 1..30: rank floor(0.5 * 29) = 14, the value 15.
    assertEquals(15, median.get("Values").get(0).asDouble(), 15 * 0.01);

    var descending =
        metrics.post(
            "/metrics/data/query",
            body.replace("{\"StartTime\"", "{\"ScanBy\":\"TimestampDescending\",\"StartTime\""));
    assertEquals(
        List.of(255.0, 155.0, 55.0),
        doubles(RunningMetrics.json(descending).get("MetricDataResults").get(0).get("Values")));
  }

  @Test
  void shouldRefuseGetMetricDataItCannotAnswer() throws Exception {
    var response =
        metrics.post(
            "/metrics/data/query",
            "{\"StartTime\":\""
                + T0
                + "\",\"EndTime\":\""
                + T0.plusSeconds(60)
                + "\",\"MetricDataQueries\":[{\"Id\":\"Bad\",\"Expression\":\"SUM(METRICS())\"},"
                + "{\"Id\":\"x\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"Shop\"},"
                + "\"Period\":7,\"Stat\":\"Median\"}}]}");
    assertEquals(400, response.statusCode());
    List<String> problems = new ArrayList<>();
    RunningMetrics.json(response).get("problems").forEach(p -> problems.add(p.asText()));
    assertEquals(
        List.of(
            "MetricDataQueries[0].Id: must start with a lowercase letter, then letters, digits or _"
                + " (1-255)",
            "MetricDataQueries[1].MetricStat.Metric.MetricName: required, 1-255 characters",
            "MetricDataQueries[1].MetricStat.Stat: SampleCount, Sum, Average, Minimum, Maximum or"
                + " pNN(.N)",
            "MetricDataQueries[1].MetricStat.Period: 1, 5, 10, 30, 60 or a multiple of 60"),
        problems);
  }

  static final String ORDERS =
      "{\"Namespace\":\"Shop\",\"MetricName\":\"Orders\",\"Dimensions\":{\"Host\":\"a\"}}";
  static final String ERRORS =
      "{\"Namespace\":\"ShopMath\",\"MetricName\":\"Errors\","
          + "\"Dimensions\":{\"Service\":\"checkout\"}}";

  /** m1: Orders' Sum per minute (100m + 55), m2: Errors' Sum (m, none in minute 3); hidden. */
  static final String INPUTS =
      "{\"Id\":\"m1\",\"ReturnData\":false,\"MetricStat\":{\"Metric\":"
          + ORDERS
          + ",\"Period\":60,\"Stat\":\"Sum\"}},"
          + "{\"Id\":\"m2\",\"ReturnData\":false,\"MetricStat\":{\"Metric\":"
          + ERRORS
          + ",\"Period\":60,\"Stat\":\"Sum\"}}";

  java.net.http.HttpResponse<String> metricData(int fromMinute, int toMinute, String queries)
      throws Exception {
    return metrics.post(
        "/metrics/data/query",
        "{\"StartTime\":\""
            + T0.plus(Duration.ofMinutes(fromMinute))
            + "\",\"EndTime\":\""
            + T0.plus(Duration.ofMinutes(toMinute))
            + "\",\"MetricDataQueries\":["
            + queries
            + "]}");
  }

  static List<String> minutes(int... minutes) {
    List<String> timestamps = new ArrayList<>();
    for (int minute : minutes) {
      timestamps.add(T0.plus(Duration.ofMinutes(minute)).toString());
    }
    return timestamps;
  }

  static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  static List<String> problems(java.net.http.HttpResponse<String> response) throws Exception {
    assertEquals(400, response.statusCode(), response.body());
    JsonNode body = RunningMetrics.json(response);
    List<String> problems = new ArrayList<>();
    if (body.has("problems")) {
      body.get("problems").forEach(p -> problems.add(p.asText()));
    } else {
      problems.add(body.get("message").asText());
    }
    return problems;
  }

  @Test
  void shouldComputeAnErrorRateWithMetricMathAlignedOnTimestamps() throws Exception {
    var response =
        metricData(
            0,
            6,
            INPUTS
                + ",{\"Id\":\"rate\",\"Label\":\"error rate %\",\"Expression\":\"m2/m1*100\"},"
                + "{\"Id\":\"filled\",\"Expression\":\"FILL(m2, 0) / m1 * 100\"}");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode results = RunningMetrics.json(response).get("MetricDataResults");
    assertEquals(2, results.size(), "inputs with ReturnData false are not returned");
    JsonNode rate = results.get(0);
    assertEquals("rate", rate.get("Id").asText());
    assertEquals("error rate %", rate.get("Label").asText());
    // Minute 3 has no Errors datapoint: no point there (a point missing in one operand).
    assertEquals(minutes(0, 1, 2, 4, 5), texts(rate.get("Timestamps")));
    List<Double> expected = new ArrayList<>();
    for (int m : new int[] {0, 1, 2, 4, 5}) {
      expected.add((double) m / (100 * m + 55) * 100);
    }
    assertEquals(expected, doubles(rate.get("Values")));
    JsonNode filled = results.get(1);
    assertEquals(
        "filled", filled.get("Label").asText(), "an expression's label defaults to its Id");
    assertEquals(minutes(0, 1, 2, 3, 4, 5), texts(filled.get("Timestamps")));
    assertEquals(0.0, filled.get("Values").get(3).asDouble(), "FILL(m2, 0) fills minute 3");
  }

  @Test
  void shouldEvaluateFunctionsScalarsAndArrays() throws Exception {
    var response =
        metricData(
            0,
            4,
            INPUTS
                + ",{\"Id\":\"total\",\"Expression\":\"SUM([m1, m2])\"},"
                + "{\"Id\":\"avg\",\"Expression\":\"AVG(m1)\"},"
                + "{\"Id\":\"each\",\"Expression\":\"METRICS() * 2\"},"
                + "{\"Id\":\"growth\",\"Expression\":\"RATE(m1)\"},"
                + "{\"Id\":\"neg\",\"Expression\":\"-m1 + 2 ^ 2 * ABS(-1)\"},"
                + "{\"Id\":\"ratio\",\"Expression\":\"total / each2\",\"ReturnData\":false},"
                + "{\"Id\":\"each2\",\"Expression\":\"m1 - m1\"}");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode results = RunningMetrics.json(response).get("MetricDataResults");
    List<String> ids = new ArrayList<>();
    results.forEach(r -> ids.add(r.get("Id").asText() + "/" + r.get("Label").asText()));
    assertEquals(
        List.of(
            "total/total",
            "avg/avg",
            "each/each Orders",
            "each/each Errors",
            "growth/growth",
            "neg/neg",
            "each2/each2"),
        ids,
        "an array gives one result per series under the expression's Id");
    // SUM over an array adds point by point the series that have a value: minute 3 is m1 alone.
    assertEquals(List.of(55.0, 156.0, 257.0, 355.0), doubles(results.get(0).get("Values")));
    // A scalar is given at every timestamp of the range.
    assertEquals(minutes(0, 1, 2, 3), texts(results.get(1).get("Timestamps")));
    assertEquals(List.of(205.0, 205.0, 205.0, 205.0), doubles(results.get(1).get("Values")));
    assertEquals(List.of(110.0, 310.0, 510.0, 710.0), doubles(results.get(2).get("Values")));
    assertEquals(List.of(0.0, 2.0, 4.0), doubles(results.get(3).get("Values")));
    // RATE: change per second from the previous point, none for the first.
    assertEquals(minutes(1, 2, 3), texts(results.get(4).get("Timestamps")));
    assertEquals(
        List.of(100 / 60.0, 100 / 60.0, 100 / 60.0), doubles(results.get(4).get("Values")));
    assertEquals(List.of(-51.0, -151.0, -251.0, -351.0), doubles(results.get(5).get("Values")));
    assertEquals(List.of(0.0, 0.0, 0.0, 0.0), doubles(results.get(6).get("Values")));
  }

  @Test
  void shouldRefuseBadExpressionsWithEveryProblemNamed() throws Exception {
    String m1 =
        "{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":" + ORDERS + ",\"Period\":60,\"Stat\":\"Sum\"}}";
    assertEquals(
        List.of(
            "MetricDataQueries[5]: give exactly one of MetricStat and Expression",
            "MetricDataQueries[6].Period: 1, 5, 10, 30, 60 or a multiple of 60",
            "MetricDataQueries[1].Expression: syntax error at position 5: the expression ends too"
                + " early",
            "MetricDataQueries[2].Expression: unknown id 'm9' at position 1 (no query has this Id)",
            "MetricDataQueries: the expressions depend on each other in a cycle: c1 -> c2 -> c1"),
        problems(
            metricData(
                0,
                4,
                m1
                    + ",{\"Id\":\"e1\",\"Expression\":\"m1 +\"},"
                    + "{\"Id\":\"e2\",\"Expression\":\"m9 * 2\"},"
                    + "{\"Id\":\"c1\",\"Expression\":\"c2 + 1\"},"
                    + "{\"Id\":\"c2\",\"Expression\":\"c1\"},"
                    + "{\"Id\":\"both\",\"Expression\":\"m1\",\"MetricStat\":{\"Metric\":"
                    + ORDERS
                    + ",\"Period\":60,\"Stat\":\"Sum\"}},"
                    + "{\"Id\":\"p\",\"Expression\":\"m1\",\"Period\":45}")));
    // Errors found while evaluating are 400s naming the query and the position, never 500s.
    assertEquals(
        List.of(
            "MetricDataQueries[1].Expression: at position 1: RATE takes a time series or an array,"
                + " not a scalar"),
        problems(metricData(0, 4, m1 + ",{\"Id\":\"e1\",\"Expression\":\"RATE(SUM(m1))\"}")));
    assertEquals(
        List.of(
            "MetricDataQueries[1].Expression: at position 11: '/' between two arrays of time series"
                + " is not supported"),
        problems(
            metricData(0, 4, m1 + ",{\"Id\":\"e1\",\"Expression\":\"METRICS() / METRICS()\"}")));
    assertEquals(
        List.of("MetricDataQueries[1].Expression: must be 1-2048 characters"),
        problems(
            metricData(
                0, 4, m1 + ",{\"Id\":\"e1\",\"Expression\":\"" + "m1+".repeat(700) + "m1\"}")));
    StringBuilder many = new StringBuilder(m1);
    for (int i = 0; i < 500; i++) {
      many.append(",{\"Id\":\"e").append(i).append("\",\"Expression\":\"m1\"}");
    }
    assertEquals(
        List.of("MetricDataQueries: must hold 1-500 queries (got 501)"),
        problems(metricData(0, 4, many.toString())));
  }

  static List<Double> doubles(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asDouble()));
    return values;
  }

  @Test
  void shouldListMetricsWithFilters() throws Exception {
    JsonNode all = RunningMetrics.json(metrics.get("/metrics/list?namespace=Shop"));
    assertEquals(1, all.get("Metrics").size(), all.toString());
    JsonNode metric = all.get("Metrics").get(0);
    assertEquals("Orders", metric.get("MetricName").asText());
    assertEquals("a", metric.get("Dimensions").get("Host").asText());
    assertEquals(
        1, RunningMetrics.json(metrics.get("/metrics/list?dimension=Host")).get("Metrics").size());
    assertEquals(
        0,
        RunningMetrics.json(metrics.get("/metrics/list?dimension=Host=b")).get("Metrics").size());
  }

  @Test
  void shouldRejectInvalidPutMetricDataWithPreciseMessages() throws Exception {
    var notJson = metrics.post("/metrics/data", "{\"Namespace\": ");
    assertEquals(400, notJson.statusCode());
    assertTrue(RunningMetrics.json(notJson).get("message").asText().contains("not valid JSON"));

    var wrongType =
        metrics.post(
            "/metrics/data",
            "{\"Namespace\":\"Shop\",\"MetricData\":[{\"MetricName\":\"X\",\"Value\":true}]}");
    assertEquals(400, wrongType.statusCode());
    assertTrue(
        RunningMetrics.json(wrongType).get("message").asText().startsWith("MetricData[0].Value"),
        wrongType.body());

    var nan =
        metrics.post(
            "/metrics/data",
            "{\"Namespace\":\"Shop\",\"MetricData\":[{\"MetricName\":\"X\",\"Value\":\"NaN\"}]}");
    assertEquals(400, nan.statusCode());
    assertEquals(
        "MetricData[0].Value: NaN and Infinity are not allowed",
        RunningMetrics.json(nan).get("message").asText());

    var tooBig = metrics.post("/metrics/data", "{\"x\":\"" + "y".repeat(1024 * 1024) + "\"}");
    assertEquals(413, tooBig.statusCode());
    assertTrue(RunningMetrics.json(tooBig).has("message"));
  }
}
