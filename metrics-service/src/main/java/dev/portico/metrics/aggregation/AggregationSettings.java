package dev.portico.metrics.aggregation;

import java.time.Clock;
import java.time.Duration;

/**
 * How open periods close.
 *
 * @param highResolutionGrace how long after its end a 1-second period still accepts late samples
 * @param grace how long after its end a 1-minute period still accepts late samples; 5-minute and
 *     1-hour rollups close as soon as their last minute is final
 * @param closeInterval how often open periods are checked for finality (wall clock)
 * @param gatewayHighResolution also aggregate gateway metrics at 1-second resolution
 * @param clock the time that decides lateness and finality (injectable for tests)
 */
public record AggregationSettings(
    Duration highResolutionGrace,
    Duration grace,
    Duration closeInterval,
    boolean gatewayHighResolution,
    Retention retention,
    Clock clock) {

  public long graceMillis(Tier tier) {
    return tier == Tier.SECOND ? highResolutionGrace.toMillis() : grace.toMillis();
  }

  /** The start of the latest period of {@code tier} that is final at {@code now}. */
  public long lastFinalStart(Tier tier, long now) {
    return now - graceMillis(tier) - tier.millis();
  }
}
