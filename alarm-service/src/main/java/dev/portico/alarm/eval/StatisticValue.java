package dev.portico.alarm.eval;

import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.StatisticName;
import dev.portico.contracts.alarms.AlarmDefinition;
import java.util.OptionalDouble;

/**
 * The value of an alarm's Statistic or ExtendedStatistic in one final datapoint. Percentiles come
 * from the datapoint's sketch, clamped to its minimum and maximum; a datapoint without one
 * (statistic sets only), or in another unit than the alarm's, yields nothing.
 */
public final class StatisticValue {
  private final PercentileSketch sketches;

  public StatisticValue(PercentileSketch sketches) {
    this.sketches = sketches;
  }

  public OptionalDouble of(AlarmDefinition def, MetricDatapoint datapoint) {
    if (def.unit() != null && !def.unit().equals(datapoint.unit())) {
      return OptionalDouble.empty();
    }
    return of(def.statisticName(), datapoint);
  }

  /** {@code stat}: a standard statistic's name or a percentile {@code pNN(.N)}. */
  public OptionalDouble of(String stat, MetricDatapoint datapoint) {
    if (!stat.startsWith("p")) {
      return switch (stat) {
        case "SampleCount" -> OptionalDouble.of(datapoint.sampleCount());
        case "Sum" -> OptionalDouble.of(datapoint.sum());
        case "Minimum" -> OptionalDouble.of(datapoint.minimum());
        case "Maximum" -> OptionalDouble.of(datapoint.maximum());
        case "Average" ->
            datapoint.sampleCount() > 0
                ? OptionalDouble.of(datapoint.sum() / datapoint.sampleCount())
                : OptionalDouble.empty();
        default -> OptionalDouble.empty();
      };
    }
    Double percent = StatisticName.parse(stat).map(StatisticName::percent).orElse(null);
    if (percent == null) {
      return OptionalDouble.empty();
    }
    OptionalDouble value = sketches.valueAt(datapoint.sketch(), percent / 100.0);
    if (value.isEmpty()) {
      return value;
    }
    // Clamped to the exact extremes, as metrics-service's query API does: the sketch is only
    // accurate to 1%, the minimum and maximum are exact.
    return OptionalDouble.of(
        Math.max(datapoint.minimum(), Math.min(datapoint.maximum(), value.getAsDouble())));
  }

  public PercentileSketch sketches() {
    return sketches;
  }
}
