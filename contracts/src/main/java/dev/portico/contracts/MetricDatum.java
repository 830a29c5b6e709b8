package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One custom metric datum, as PutMetricData takes it: exactly one of {@code value}, {@code
 * statisticValues} or {@code values} (with optional {@code counts}).
 *
 * @param timestamp epoch milliseconds; {@code null} = when received
 * @param storageResolution 1 (high resolution) or 60 seconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricDatum(
    @JsonProperty("Namespace") String namespace,
    @JsonProperty("MetricName") String metricName,
    @JsonProperty("Dimensions") Map<String, String> dimensions,
    @JsonProperty("Timestamp") Long timestamp,
    @JsonProperty("Value") Double value,
    @JsonProperty("StatisticValues") StatisticSet statisticValues,
    @JsonProperty("Values") List<Double> values,
    @JsonProperty("Counts") List<Double> counts,
    @JsonProperty("Unit") String unit,
    @JsonProperty("StorageResolution") Integer storageResolution) {

  /** Pre-aggregated values. */
  public record StatisticSet(
      @JsonProperty("SampleCount") double sampleCount,
      @JsonProperty("Sum") double sum,
      @JsonProperty("Minimum") double minimum,
      @JsonProperty("Maximum") double maximum) {}
}
