package dev.portico.metricmath;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One time series: values by timestamp (epoch ms), sorted. Only finite values are kept: a point
 * that is missing, or whose computation had no finite answer (division by zero), is absent.
 *
 * @param id the query id it came from (METRICS('filter') matches it), or null for computed ones
 * @param label what the series is called in results
 */
public record TimeSeries(String id, String label, NavigableMap<Long, Double> points) {
  public TimeSeries {
    TreeMap<Long, Double> copy = new TreeMap<>();
    points.forEach(
        (t, v) -> {
          if (v != null && Double.isFinite(v)) {
            copy.put(t, v);
          }
        });
    points = Collections.unmodifiableNavigableMap(copy);
  }

  public static TimeSeries of(String id, String label, Map<Long, Double> points) {
    return new TimeSeries(id, label, new TreeMap<>(points));
  }

  TimeSeries with(NavigableMap<Long, Double> newPoints) {
    return new TimeSeries(id, label, newPoints);
  }
}
