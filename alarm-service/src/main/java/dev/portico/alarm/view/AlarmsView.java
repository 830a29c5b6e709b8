package dev.portico.alarm.view;

import dev.portico.contracts.alarms.AlarmRecord;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every alarm, as the compacted alarms topic says, sorted by name (DescribeAlarms pages by name).
 */
public final class AlarmsView {
  private final NavigableMap<String, AlarmRecord> alarms = new ConcurrentSkipListMap<>();

  void apply(String name, AlarmRecord record) {
    if (record == null) {
      alarms.remove(name);
    } else {
      alarms.put(name, record);
    }
  }

  public AlarmRecord get(String name) {
    return alarms.get(name);
  }

  /** Alarms whose name sorts after {@code after} (null: from the first). */
  public Collection<AlarmRecord> from(String after) {
    return after == null ? alarms.values() : alarms.tailMap(after, false).values();
  }

  public Map<String, AlarmRecord> all() {
    return alarms;
  }
}
