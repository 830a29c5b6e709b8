package dev.portico.alarm.delivery;

import dev.portico.runtime.ConfigReader;
import java.time.Duration;

/**
 * When to try a failed delivery again, modelled on SNS: a few immediate retries, then exponential
 * backoff from {@code minBackoff} doubling up to {@code maxBackoff}, until {@code maxAttempts}
 * attempts in all (the defaults span about 6-7 hours); then the delivery is dead-lettered.
 *
 * @param quickRetries {@code PORTICO_ALARM_DELIVERY_QUICK_RETRIES} (3): retries made at once
 * @param minBackoff {@code PORTICO_ALARM_DELIVERY_MIN_BACKOFF_MS} (10000): the first backoff delay
 * @param maxBackoff {@code PORTICO_ALARM_DELIVERY_MAX_BACKOFF_MS} (600000): the longest delay
 * @param maxAttempts {@code PORTICO_ALARM_DELIVERY_MAX_ATTEMPTS} (50): attempts before the delivery
 *     is dead-lettered
 */
public record RetryPolicy(
    int quickRetries, Duration minBackoff, Duration maxBackoff, int maxAttempts) {

  public static RetryPolicy read(ConfigReader env) {
    Duration min =
        env.millis(
            "PORTICO_ALARM_DELIVERY_MIN_BACKOFF_MS",
            Duration.ofSeconds(10),
            Duration.ofMillis(1),
            Duration.ofHours(1));
    Duration max =
        env.millis(
            "PORTICO_ALARM_DELIVERY_MAX_BACKOFF_MS",
            Duration.ofMinutes(10),
            Duration.ofMillis(1),
            Duration.ofHours(24));
    return new RetryPolicy(
        env.integer("PORTICO_ALARM_DELIVERY_QUICK_RETRIES", 3, 0, 100),
        min,
        max.compareTo(min) < 0 ? min : max,
        env.integer("PORTICO_ALARM_DELIVERY_MAX_ATTEMPTS", 50, 1, 1000));
  }

  /**
   * The delay before the next attempt after {@code failedAttempts} attempts failed, or null when no
   * attempt is left.
   */
  public Duration delayAfter(int failedAttempts) {
    if (failedAttempts >= maxAttempts) {
      return null;
    }
    if (failedAttempts <= quickRetries) {
      return Duration.ZERO;
    }
    int doublings = Math.min(30, failedAttempts - quickRetries - 1);
    long millis = minBackoff.toMillis() << doublings;
    return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
  }
}
