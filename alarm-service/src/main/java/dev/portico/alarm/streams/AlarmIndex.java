package dev.portico.alarm.streams;

import dev.portico.alarm.eval.RuleParser;
import dev.portico.alarm.eval.RuleSyntaxException;
import dev.portico.contracts.alarms.AlarmDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a partition's alarms care about a signal: metric alarms by the metric they watch,
 * composite alarms by each alarm their rule names. Both indexes are store keys ({@code prefix +
 * alarm name}) found with one prefix scan, changelogged with the alarms themselves.
 */
final class AlarmIndex {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmIndex.class);

  private final KeyValueStore<String, String> byMetric;
  private final KeyValueStore<String, String> byChild;

  AlarmIndex(KeyValueStore<String, String> byMetric, KeyValueStore<String, String> byChild) {
    this.byMetric = byMetric;
    this.byChild = byChild;
  }

  void add(AlarmDefinition def) {
    if (def.isComposite()) {
      for (String child : namedBy(def)) {
        byChild.put(childKey(child) + def.alarmName(), def.alarmName());
      }
    } else {
      for (String key : MetricKey.all(def)) {
        byMetric.put(key + def.alarmName(), def.alarmName());
      }
    }
  }

  void remove(AlarmDefinition def) {
    if (def.isComposite()) {
      for (String child : namedBy(def)) {
        byChild.delete(childKey(child) + def.alarmName());
      }
    } else {
      for (String key : MetricKey.all(def)) {
        byMetric.delete(key + def.alarmName());
      }
    }
  }

  /** The alarms watching the metric series {@code metricKey} (see {@link MetricKey}). */
  List<String> watching(String metricKey) {
    return scan(byMetric, metricKey);
  }

  /** The composite alarms whose rule names {@code alarmName}. */
  List<String> naming(String alarmName) {
    return scan(byChild, childKey(alarmName));
  }

  /** The alarms a composite's rule names. */
  static Set<String> namedBy(AlarmDefinition def) {
    Set<String> names = new HashSet<>();
    try {
      RuleParser.parse(def.alarmRule()).collectNames(names);
    } catch (RuleSyntaxException e) {
      LOG.error("Rule of {} does not parse: {}", def.alarmName(), e.getMessage());
    }
    return names;
  }

  private static String childKey(String child) {
    return child + MetricKey.END;
  }

  private static List<String> scan(KeyValueStore<String, String> index, String prefix) {
    List<String> names = new ArrayList<>();
    try (KeyValueIterator<String, String> it = index.prefixScan(prefix, new StringSerializer())) {
      it.forEachRemaining(entry -> names.add(entry.value));
    }
    return names;
  }
}
