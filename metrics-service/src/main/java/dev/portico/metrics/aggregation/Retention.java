package dev.portico.metrics.aggregation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long each tier's final aggregates are kept (CloudWatch's defaults: 3 h, 15 d, 63 d, 455 d).
 */
public record Retention(Duration second, Duration minute, Duration fiveMinutes, Duration hour) {
  public static final Retention CLOUDWATCH =
      new Retention(
          Duration.ofHours(3), Duration.ofDays(15), Duration.ofDays(63), Duration.ofDays(455));

  public Duration of(Tier tier) {
    return switch (tier) {
      case SECOND -> second;
      case MINUTE -> minute;
      case FIVE_MINUTES -> fiveMinutes;
      case HOUR -> hour;
    };
  }

  public Map<Tier, Duration> asMap() {
    Map<Tier, Duration> map = new EnumMap<>(Tier.class);
    for (Tier tier : Tier.values()) {
      map.put(tier, of(tier));
    }
    return map;
  }
}
