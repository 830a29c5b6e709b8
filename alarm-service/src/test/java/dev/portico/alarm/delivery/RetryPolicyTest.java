package dev.portico.alarm.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portico.runtime.ConfigReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void shouldRetryQuicklyThenBackOffExponentiallyUpToTheCapThenGiveUp() {
    RetryPolicy p = RetryPolicy.read(new ConfigReader(Map.of()));
    assertEquals(Duration.ZERO, p.delayAfter(1));
    assertEquals(Duration.ZERO, p.delayAfter(3));
    assertEquals(Duration.ofSeconds(10), p.delayAfter(4));
    assertEquals(Duration.ofSeconds(20), p.delayAfter(5));
    assertEquals(Duration.ofSeconds(320), p.delayAfter(9));
    assertEquals(Duration.ofSeconds(600), p.delayAfter(10));
    assertEquals(Duration.ofSeconds(600), p.delayAfter(49));
    assertNull(p.delayAfter(50), "50 attempts in all");
    long total = 0;
    for (int i = 1; i < 50; i++) {
      total += p.delayAfter(i).toSeconds();
    }
    assertEquals(true, total > 6 * 3600 && total < 7 * 3600, "about 6-7 hours: " + total);
  }

  @Test
  void shouldTakeItsScheduleFromTheEnvironment() {
    RetryPolicy p =
        RetryPolicy.read(
            new ConfigReader(
                Map.of(
                    "PORTICO_ALARM_DELIVERY_QUICK_RETRIES", "0",
                    "PORTICO_ALARM_DELIVERY_MIN_BACKOFF_MS", "100",
                    "PORTICO_ALARM_DELIVERY_MAX_BACKOFF_MS", "250",
                    "PORTICO_ALARM_DELIVERY_MAX_ATTEMPTS", "4")));
    assertEquals(Duration.ofMillis(100), p.delayAfter(1));
    assertEquals(Duration.ofMillis(200), p.delayAfter(2));
    assertEquals(Duration.ofMillis(250), p.delayAfter(3));
    assertNull(p.delayAfter(4));
  }
}
