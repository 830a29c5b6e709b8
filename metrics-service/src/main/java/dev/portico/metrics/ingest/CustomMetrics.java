package dev.portico.metrics.ingest;

import dev.portico.contracts.MetricDatum;
import dev.portico.metrics.model.CellId;
import java.util.List;
import java.util.Map;

/** Turns one valid custom datum (timestamp filled in) into its samples. */
public final class CustomMetrics {
  private CustomMetrics() {}

  /** The custom topic's record key for a datum: {@code namespace/metric name}. */
  public static String partitionKey(MetricDatum datum) {
    return datum.namespace() + "/" + datum.metricName();
  }

  public static CellSample samples(MetricDatum datum) {
    MetricSample sample;
    if (datum.value() != null) {
      sample = new MetricSample.Single(datum.metricName(), datum.unit(), datum.value());
    } else if (datum.statisticValues() != null) {
      var set = datum.statisticValues();
      sample =
          new MetricSample.Summary(
              datum.metricName(),
              datum.unit(),
              set.sampleCount(),
              set.sum(),
              set.minimum(),
              set.maximum());
    } else {
      sample =
          new MetricSample.Distribution(
              datum.metricName(), datum.unit(), datum.values(), datum.counts());
    }
    Map<String, String> dimensions = datum.dimensions() == null ? Map.of() : datum.dimensions();
    boolean highResolution = datum.storageResolution() != null && datum.storageResolution() == 1;
    return new CellSample(
        CellId.of(datum.namespace(), dimensions),
        datum.timestamp(),
        highResolution,
        List.of(sample));
  }

  /** The datum with its namespace and timestamp set (from the request or the record). */
  public static MetricDatum complete(MetricDatum datum, String namespace, long timestamp) {
    return new MetricDatum(
        namespace,
        datum.metricName(),
        datum.dimensions(),
        datum.timestamp() == null ? timestamp : datum.timestamp(),
        datum.value(),
        datum.statisticValues(),
        datum.values(),
        datum.counts(),
        datum.unit(),
        datum.storageResolution());
  }
}
