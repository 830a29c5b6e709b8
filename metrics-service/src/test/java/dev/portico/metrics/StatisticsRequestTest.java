package dev.portico.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.metrics.aggregation.Retention;
import dev.portico.metrics.aggregation.Tier;
import dev.portico.metrics.http.BadRequest;
import dev.portico.metrics.query.StatisticsRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which resolution a query reads, by its start time's age, and the limits on periods. */
class StatisticsRequestTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  static StatisticsRequest parse(Duration age, Duration length, int period) {
    Instant start = NOW.minus(age);
    return StatisticsRequest.parse(
        Map.of(
            "namespace", List.of("App"),
            "metricName", List.of("M"),
            "startTime", List.of(start.toString()),
            "endTime", List.of(start.plus(length).toString()),
            "period", List.of(Integer.toString(period)),
            "statistics", List.of("Average")),
        NOW.toEpochMilli(),
        Retention.CLOUDWATCH);
  }

  @Test
  void shouldReadOneSecondDataForShortPeriodsWithinThreeHours() {
    assertEquals(Tier.SECOND, parse(Duration.ofHours(3), Duration.ofMinutes(10), 10).tier());
    BadRequest refused =
        assertThrows(
            BadRequest.class,
            () -> parse(Duration.ofHours(3).plusMillis(1), Duration.ofMinutes(10), 10));
    assertTrue(refused.getMessage().contains("3 hours"), refused.getMessage());
  }

  @Test
  void shouldReadCoarserTiersAsTheStartGetsOlder() {
    assertEquals(Tier.MINUTE, parse(Duration.ofDays(15), Duration.ofHours(1), 60).tier());
    assertEquals(
        Tier.FIVE_MINUTES,
        parse(Duration.ofDays(15).plusMillis(1), Duration.ofHours(1), 300).tier());
    assertThrows(BadRequest.class, () -> parse(Duration.ofDays(16), Duration.ofHours(1), 120));
    assertEquals(Tier.FIVE_MINUTES, parse(Duration.ofDays(63), Duration.ofDays(1), 600).tier());
    assertEquals(Tier.HOUR, parse(Duration.ofDays(64), Duration.ofDays(10), 3600).tier());
    assertThrows(BadRequest.class, () -> parse(Duration.ofDays(64), Duration.ofDays(1), 300));
  }

  @Test
  void shouldAllowAtMostFourteenHundredFortyPoints() {
    assertEquals(60, parse(Duration.ofHours(1), Duration.ofMinutes(1440), 60).period());
    BadRequest refused =
        assertThrows(
            BadRequest.class,
            () -> parse(Duration.ofHours(1), Duration.ofMinutes(1440).plusMillis(1), 60));
    assertTrue(refused.getMessage().startsWith("The request asks for 1441 datapoints"));
  }

  @Test
  void shouldTakeOnlyCloudWatchPeriods() {
    for (int period : new int[] {1, 5, 10, 30, 60, 120, 300, 86400}) {
      assertEquals(period, parse(Duration.ofMinutes(1), Duration.ofMinutes(1), period).period());
    }
    for (int period : new int[] {0, 2, 15, 59, 61, 90, -60}) {
      assertThrows(
          BadRequest.class,
          () -> parse(Duration.ofMinutes(1), Duration.ofMinutes(1), period),
          "period " + period);
    }
  }
}
