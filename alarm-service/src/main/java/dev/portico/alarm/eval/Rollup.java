package dev.portico.alarm.eval;

import dev.portico.alarm.model.PartialPeriod;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.alarms.AlarmDefinition;
import java.util.Map;

/**
 * Builds an alarm period out of finer final datapoints, as docs/metrics.md prescribes: sample
 * counts and sums add up, minimum and maximum are the extremes, sketches merge (a sub-period
 * without a sketch leaves the period without percentiles). Pure.
 */
public final class Rollup {
  private Rollup() {}

  /** {@code partial} (null: none yet) with the final datapoint {@code dp} of one sub-period. */
  public static PartialPeriod add(
      PartialPeriod partial, MetricDatapoint dp, long slot, PercentileSketch sketches) {
    long end = dp.timestamp() + dp.period() * 1000L;
    if (partial == null) {
      return new PartialPeriod(
          slot,
          end,
          dp.sampleCount(),
          dp.sum(),
          dp.minimum(),
          dp.maximum(),
          dp.unit(),
          dp.sketch());
    }
    return new PartialPeriod(
        slot,
        Math.max(partial.coveredUntil(), end),
        partial.sampleCount() + dp.sampleCount(),
        partial.sum() + dp.sum(),
        Math.min(partial.minimum(), dp.minimum()),
        Math.max(partial.maximum(), dp.maximum()),
        partial.unit(),
        sketches.merge(partial.sketch(), dp.sketch()),
        partial.series());
  }

  /** The datapoint of its last sub-period has arrived. */
  public static boolean complete(PartialPeriod partial, AlarmDefinition def) {
    return partial.coveredUntil() >= partial.timestamp() + def.period() * 1000L;
  }

  /** The rolled-up period as one datapoint of the alarm's period. */
  public static MetricDatapoint datapoint(PartialPeriod p, AlarmDefinition def) {
    return new MetricDatapoint(
        def.namespace(),
        def.metricName(),
        Map.of(),
        def.period(),
        p.timestamp(),
        p.sampleCount(),
        p.sum(),
        p.minimum(),
        p.maximum(),
        p.unit(),
        p.sketch());
  }
}
