package dev.portico.metrics.model;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The metrics of one namespace under one set of dimensions: the unit in which open periods are
 * aggregated, so that one gateway request updates its Count, Latency, ... together in one state
 * store read-modify-write instead of seven.
 */
public record CellId(String namespace, SortedMap<String, String> dimensions) {
  public CellId {
    dimensions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
  }

  public static CellId of(String namespace, Map<String, String> dimensions) {
    return new CellId(namespace, new TreeMap<>(dimensions));
  }

  public MetricId metric(String metricName) {
    return new MetricId(namespace, metricName, dimensions);
  }
}
