package dev.portico.metrics.model;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One metric: namespace + name + dimensions, as CloudWatch identifies it. Dimensions are kept
 * sorted by name so that the same metric always has the same identity, whatever order a client sent
 * them in.
 */
public record MetricId(String namespace, String metricName, SortedMap<String, String> dimensions) {
  public MetricId {
    dimensions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
  }

  public static MetricId of(String namespace, String metricName, Map<String, String> dimensions) {
    return new MetricId(namespace, metricName, new TreeMap<>(dimensions));
  }

  public CellId cell() {
    return new CellId(namespace, dimensions);
  }

  /**
   * The datapoints topic's record key: {@code namespace/name/Dim1=v1,Dim2=v2} (dimensions sorted by
   * name). For partitioning and reading by eye; readers take the metric from the value.
   */
  public String kafkaKey() {
    StringBuilder key = new StringBuilder(namespace).append('/').append(metricName).append('/');
    String separator = "";
    for (var dimension : dimensions.entrySet()) {
      key.append(separator).append(dimension.getKey()).append('=').append(dimension.getValue());
      separator = ",";
    }
    return key.toString();
  }
}
