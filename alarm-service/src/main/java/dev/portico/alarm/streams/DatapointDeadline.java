package dev.portico.alarm.streams;

import dev.portico.contracts.alarms.AlarmDefinition;
import java.time.Duration;

/**
 * When an alarm period's data is final: its end plus the grace of the metrics-service tier the
 * alarm reads, plus a margin for the datapoints' way through Kafka. Periods under 60 s read the
 * 1-second tier ({@code PORTICO_METRICS_HIGH_RESOLUTION_GRACE_MS}), longer ones the 1-minute tier
 * and the tiers built from it ({@code PORTICO_METRICS_GRACE_MS}). By then every sub-period that had
 * data has had its final datapoint emitted, so the period is evaluated with what came, whichever
 * seconds or minutes had data (as CloudWatch evaluates at the period boundary).
 *
 * @param highResolutionGrace metrics-service's grace of 1-second periods
 * @param grace metrics-service's grace of 1-minute periods
 * @param margin the way of a final datapoint from metrics-service's close check to the alarm
 */
public record DatapointDeadline(Duration highResolutionGrace, Duration grace, Duration margin) {

  /** How long after a period of {@code def}'s length ends its data counts as final. */
  public long delayMillis(AlarmDefinition def) {
    Duration tierGrace = def.period() < 60 ? highResolutionGrace : grace;
    return tierGrace.plus(margin).toMillis();
  }

  /** The epoch millis at which the period of {@code def} starting at {@code start} is final. */
  long finalAt(AlarmDefinition def, long start) {
    return start + def.period() * 1000L + delayMillis(def);
  }

  /** The newest period of {@code def} that is final at {@code now} (its start). */
  long newestFinalSlot(AlarmDefinition def, long now) {
    long period = def.period() * 1000L;
    return Math.floorDiv(now - delayMillis(def), period) * period - period;
  }
}
