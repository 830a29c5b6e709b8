package dev.portico.metrics.aggregation;

import java.time.Duration;
import java.util.Optional;

/**
 * The resolutions metrics-service keeps. Raw samples go into the two base tiers (1 second for
 * high-resolution metrics, 1 minute for all); the 5-minute and 1-hour tiers are built only from
 * final 1-minute and 5-minute aggregates, never from raw samples.
 */
public enum Tier {
  SECOND(1, "1s"),
  MINUTE(60, "1m"),
  FIVE_MINUTES(300, "5m"),
  HOUR(3600, "1h");

  private final int seconds;
  private final String label;

  Tier(int seconds, String label) {
    this.seconds = seconds;
    this.label = label;
  }

  public int seconds() {
    return seconds;
  }

  public long millis() {
    return seconds * 1000L;
  }

  public String label() {
    return label;
  }

  public long windowStart(long timestamp) {
    return Math.floorDiv(timestamp, millis()) * millis();
  }

  /** Whether raw samples are aggregated here (as opposed to rollups of a finer tier). */
  public boolean isBase() {
    return this == SECOND || this == MINUTE;
  }

  /** The tier this one's final aggregates roll up into. */
  public Optional<Tier> rollsUpInto() {
    return switch (this) {
      case MINUTE -> Optional.of(FIVE_MINUTES);
      case FIVE_MINUTES -> Optional.of(HOUR);
      default -> Optional.empty();
    };
  }

  public Duration duration() {
    return Duration.ofSeconds(seconds);
  }
}
