package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two replicas share the partitions; either one answers for every metric. */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
@Tag("integration")
class ReplicaQueryTest {
  static final int METRICS = 8;

  @Test
  void shouldAnswerEveryMetricFromEitherReplica(TestKafka kafka) throws Exception {
    Instant t0 = Instant.ofEpochMilli(Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000);
    MutableClock clock = new MutableClock(t0);
    String prefix = kafka.freshPrefix();
    try (var a =
            new RunningMetrics(
                    kafka.bootstrapServers(), prefix, Files.createTempDirectory("a"), clock)
                .start();
        var b =
            new RunningMetrics(
                    kafka.bootstrapServers(), prefix, Files.createTempDirectory("b"), clock)
                .start()) {
      a.awaitReady();
      List<String> datums = new ArrayList<>();
      for (int i = 0; i < METRICS; i++) {
        datums.add(
            "{\"MetricName\":\"M"
                + i
                + "\",\"Timestamp\":"
                + t0.toEpochMilli()
                + ",\"Value\":"
                + i
                + "}");
      }
      var put =
          a.post(
              "/metrics/data",
              "{\"Namespace\":\"Shop\",\"MetricData\":[" + String.join(",", datums) + "]}");
      assertEquals(200, put.statusCode(), put.body());
      a.awaitCaughtUp("metrics.custom", "portico-metrics-service-custom-by-metric-repartition");
      clock.advance(Duration.ofSeconds(60 + 5 + 1));
      a.awaitDatapoints(points -> points.stream().filter(p -> p.period() == 60).count() == METRICS);

      JsonNode fromA = RunningMetrics.json(a.get("/metrics/internal/index")).get("metrics");
      JsonNode fromB = RunningMetrics.json(b.get("/metrics/internal/index")).get("metrics");
      assertEquals(METRICS, fromA.size() + fromB.size());
      assertFalse(fromA.isEmpty() || fromB.isEmpty(), "both replicas own some metrics");

      for (var replica : List.of(a, b)) {
        assertEquals(
            METRICS,
            RunningMetrics.json(replica.get("/metrics/list?namespace=Shop")).get("Metrics").size());
        for (int i = 0; i < METRICS; i++) {
          var response =
              replica.get(
                  "/metrics/statistics?namespace=Shop&metricName=M"
                      + i
                      + "&period=60&statistics=Sum&startTime="
                      + t0
                      + "&endTime="
                      + t0.plusSeconds(60));
          assertEquals(200, response.statusCode(), response.body());
          JsonNode points = RunningMetrics.json(response).get("Datapoints");
          assertEquals(1, points.size(), "M" + i + ": " + response.body());
          assertEquals(i, points.get(0).get("Sum").asDouble());
        }
      }
    }
  }
}
