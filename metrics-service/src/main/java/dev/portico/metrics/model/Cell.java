package dev.portico.metrics.model;

import java.util.Map;
import java.util.TreeMap;

/** The open aggregates of one {@link CellId} in one period, by metric name. */
public final class Cell {
  private final TreeMap<String, Aggregate> metrics = new TreeMap<>();

  public Aggregate metric(String name) {
    return metrics.computeIfAbsent(name, n -> new Aggregate());
  }

  public Map<String, Aggregate> metrics() {
    return metrics;
  }

  public void merge(Cell other) {
    other.metrics.forEach((name, aggregate) -> metric(name).merge(aggregate));
  }
}
