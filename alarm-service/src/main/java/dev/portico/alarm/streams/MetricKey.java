package dev.portico.alarm.streams;

import dev.portico.alarm.eval.Periods;
import dev.portico.contracts.MetricDatapoint;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.Dimension;
import dev.portico.contracts.alarms.MetricQuery;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The identity of a metric series at one period, as a store key prefix: namespace, name, dimensions
 * (sorted) and period, separated by characters names cannot contain. Alarms are indexed by it, so a
 * datapoint finds its alarms with one prefix scan.
 */
final class MetricKey {
  private static final char FIELD = '\u0001';
  static final char END = '\u0000';

  private MetricKey() {}

  static String of(AlarmDefinition def) {
    Map<String, String> dims = new TreeMap<>();
    for (Dimension d : def.dimensions()) {
      dims.put(d.name(), d.value());
    }
    return of(def.namespace(), def.metricName(), dims, Periods.source(def.period()));
  }

  /** The key of a metric-math alarm's MetricStat entry, read at the alarm's source period. */
  static String of(MetricQuery query, int alarmPeriod) {
    Map<String, String> dims = new TreeMap<>();
    for (Dimension d : query.dimensions()) {
      dims.put(d.name(), d.value());
    }
    return of(query.namespace(), query.metricName(), dims, Periods.source(alarmPeriod));
  }

  /** Every metric series key the alarm reads: one, or one per distinct metric of its Metrics. */
  static Set<String> all(AlarmDefinition def) {
    Set<String> keys = new LinkedHashSet<>();
    if (def.isMath()) {
      for (MetricQuery query : def.metrics()) {
        if (!query.isExpression()) {
          keys.add(of(query, def.period()));
        }
      }
    } else {
      keys.add(of(def));
    }
    return keys;
  }

  static String of(MetricDatapoint dp) {
    return of(
        dp.namespace(),
        dp.metricName(),
        dp.dimensions() == null ? Map.of() : new TreeMap<>(dp.dimensions()),
        dp.period());
  }

  private static String of(String namespace, String name, Map<String, String> dims, int period) {
    StringBuilder key = new StringBuilder();
    key.append(namespace).append(FIELD).append(name).append(FIELD);
    dims.forEach((k, v) -> key.append(k).append('=').append(v).append(FIELD));
    return key.append(period).append(END).toString();
  }
}
