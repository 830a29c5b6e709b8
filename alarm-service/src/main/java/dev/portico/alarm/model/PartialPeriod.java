package dev.portico.alarm.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An alarm period being rolled up from finer final datapoints: their statistics merged so far.
 * Complete when the datapoint of its last sub-period arrives (metrics-service finalizes a metric's
 * periods in time order) or when the clock says it is overdue.
 *
 * @param timestamp start of the alarm period (epoch ms)
 * @param coveredUntil end (epoch ms) of the latest sub-period merged
 * @param sketch the merged DDSketch, or null when some sub-period had none (percentiles unknown)
 * @param series for a metric-math alarm, which of its metrics (the metric key) this period rolls
 *     up; null for other alarms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartialPeriod(
    long timestamp,
    long coveredUntil,
    double sampleCount,
    double sum,
    double minimum,
    double maximum,
    String unit,
    String sketch,
    String series) {

  public PartialPeriod(
      long timestamp,
      long coveredUntil,
      double sampleCount,
      double sum,
      double minimum,
      double maximum,
      String unit,
      String sketch) {
    this(timestamp, coveredUntil, sampleCount, sum, minimum, maximum, unit, sketch, null);
  }

  public PartialPeriod forSeries(String key) {
    return new PartialPeriod(
        timestamp, coveredUntil, sampleCount, sum, minimum, maximum, unit, sketch, key);
  }
}
