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
    // Twenty minutes later every minute is past its grace, so final.
    metrics.awaitIngested("custom", 100);
    clock.advance(Duration.ofMinutes(20));
    metrics.awaitDatapoints(points -> points.stream().filter(p -> p.period() == 60).count() == 10);
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
        metrics.datapoints().stream().filter(p -> p.period() == 60).toList();
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
            "MetricDataQueries[0].Id: must start with a lowercase letter, then letters, digits or _",
            "MetricDataQueries[0].Expression: metric math is not supported yet; use MetricStat",
            "MetricDataQueries[1].MetricStat.Metric.MetricName: required, 1-255 characters",
            "MetricDataQueries[1].MetricStat.Stat: SampleCount, Sum, Average, Minimum, Maximum or"
                + " pNN(.N)",
            "MetricDataQueries[1].MetricStat.Period: 1, 5, 10, 30, 60 or a multiple of 60"),
        problems);
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
