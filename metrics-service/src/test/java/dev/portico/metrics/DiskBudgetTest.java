package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.metrics.aggregation.Tier;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.MutableClock;
import dev.portico.testing.TestKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The disk budget is enforced: over budget, the oldest final aggregates are deleted, finest
 * resolution first, through the changelogged stores. Ten minutes of a high-resolution metric (600
 * one-second periods, 10 minutes, 2 five-minute periods, 1 hour) are stored, then the budget is
 * lowered below the measured state.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
@Tag("integration")
class DiskBudgetTest {
  /** An hour start two hours ago: 1-second data of it is within its 3-hour retention. */
  static final Instant T0 =
      Instant.ofEpochMilli(Math.floorDiv(System.currentTimeMillis(), 3_600_000L) * 3_600_000L)
          .minus(Duration.ofHours(2));

  static final int SECONDS = 600;

  RunningMetrics metrics;

  @AfterEach
  void stop() {
    if (metrics != null) {
      metrics.close();
    }
  }

  void startWithTenMinutesOfData(TestKafka kafka) throws Exception {
    metrics =
        new RunningMetrics(
                kafka.bootstrapServers(),
                kafka.freshPrefix(),
                Files.createTempDirectory("metrics-budget"),
                new MutableClock(T0))
            .start();
    for (int s = 0; s < SECONDS; s++) {
      metrics.sendCustom(
          Events.highResolution("Disk", "Load", Map.of(), T0.toEpochMilli() + s * 1000L, s));
    }
    metrics.flush();
    metrics.awaitIngested("custom", SECONDS);
    // Past the hour and its grace: every period of every tier is final and stored.
    metrics.clock.advance(Duration.ofMinutes(70));
    metrics.awaitDatapoints(
        points ->
            points.stream().filter(p -> p.period() == 1).count() == SECONDS
                && points.stream().filter(p -> p.period() == 3600).count() == 1);
  }

  /** Datapoints of Disk/Load for [from, to) seconds after T0 at this period. */
  JsonNode datapoints(int period, int from, int to) throws Exception {
    var response =
        metrics.get(
            "/metrics/statistics?namespace=Disk&metricName=Load&statistics=SampleCount&period="
                + period
                + "&startTime="
                + T0.plusSeconds(from)
                + "&endTime="
                + T0.plusSeconds(to));
    assertEquals(200, response.statusCode(), response.body());
    return RunningMetrics.json(response).get("Datapoints");
  }

  double evictions(Tier tier) throws Exception {
    return metrics.counter(
        "portico_metrics_budget_evictions_total", "tier=\"" + tier.label() + "\"");
  }

  long measure() throws Exception {
    return metrics.service.diskUsage.check().await(30, TimeUnit.SECONDS);
  }

  @Test
  void shouldEvictTheOldestFinestDataFirstAndKeepItGoneAfterARestore(TestKafka kafka)
      throws Exception {
    startWithTenMinutesOfData(kafka);
    assertEquals(SECONDS, datapoints(1, 0, SECONDS).size());

    // Half the measured size: the check asks for about half the data to go, which the 1-second
    // tier alone holds (600 of 613 periods).
    long size = measure();
    metrics.service.diskUsage.budget(size / 2);
    measure();
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> evictions(Tier.SECOND) > 0);

    double evictedSeconds = evictions(Tier.SECOND);
    assertTrue(evictedSeconds < SECONDS, "the newest 1-second periods are kept: " + evictedSeconds);
    assertEquals(0, evictions(Tier.MINUTE), "coarser tiers keep their data");
    assertEquals(0, evictions(Tier.FIVE_MINUTES));
    assertEquals(0, evictions(Tier.HOUR));
    assertEvictedOldestSeconds((int) evictedSeconds);
    double horizon = gauge("portico_metrics_budget_horizon_timestamp_seconds", "tier=\"1s\"");
    assertEquals(T0.getEpochSecond() + (long) evictedSeconds, horizon, 11, "the 1s horizon");

    // A restart on an empty state directory restores every store from its changelog: the deletes
    // are tombstones there, so the evicted periods stay gone.
    metrics.stop();
    metrics.with("PORTICO_METRICS_STATE_DIR", Files.createTempDirectory("restored").toString());
    metrics.start();
    assertEvictedOldestSeconds((int) evictedSeconds);
    assertEquals(0, evictions(Tier.SECOND), "nothing evicted by the restarted service");
  }

  /** The oldest {@code evicted} seconds answer no datapoints, the rest and every minute do. */
  void assertEvictedOldestSeconds(int evicted) throws Exception {
    assertEquals(0, datapoints(1, 0, evicted).size(), "an evicted period has no datapoints");
    assertEquals(SECONDS - evicted, datapoints(1, evicted, SECONDS).size());
    JsonNode minutes = datapoints(60, 0, SECONDS);
    assertEquals(10, minutes.size(), "the 1-minute data is kept");
    for (JsonNode minute : minutes) {
      assertEquals(60, minute.get("SampleCount").asDouble(), minute.toString());
    }
  }

  double gauge(String name, String labels) throws Exception {
    var matcher =
        java.util.regex.Pattern.compile(
                "(?m)^" + java.util.regex.Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
            .matcher(metrics.get("/metrics").body());
    while (matcher.find()) {
      if (matcher.group(1).contains(labels)) {
        return Double.parseDouble(matcher.group(2));
      }
    }
    throw new AssertionError(name + "{" + labels + "} not exported");
  }

  @Test
  void shouldEvictNothingUnderBudget(TestKafka kafka) throws Exception {
    startWithTenMinutesOfData(kafka);
    long size = measure();
    metrics.service.diskUsage.budget(size * 10);
    measure();

    // The check decides synchronously: no eviction was asked for, so none can happen.
    assertEquals(0, metrics.service.diskUsage.enforcer().requests());
    for (Tier tier : Tier.values()) {
      assertEquals(0, evictions(tier), tier.label());
    }
    assertEquals(SECONDS, datapoints(1, 0, SECONDS).size());
    assertEquals(10, datapoints(60, 0, SECONDS).size());
  }
}
