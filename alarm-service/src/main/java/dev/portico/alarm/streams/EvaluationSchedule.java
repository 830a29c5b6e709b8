package dev.portico.alarm.streams;

import dev.portico.alarm.model.StoredAlarm;
import dev.portico.contracts.alarms.AlarmDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * When the clock must evaluate a partition's metric alarms: a period is evaluated once its data is
 * final ({@link DatapointDeadline}), with whatever datapoints came, and counts as missing if none
 * did. Kept in memory, rebuilt from the store on the first tick after a restart or a rebalance (the
 * store has each alarm's position).
 */
final class EvaluationSchedule {
  private final DatapointDeadline deadline;
  private Map<String, Long> nextCheck;

  EvaluationSchedule(DatapointDeadline deadline) {
    this.deadline = deadline;
  }

  /** The newest period whose data is final by {@code now}. */
  long dueSlot(AlarmDefinition def, long now) {
    return deadline.newestFinalSlot(def, now);
  }

  /** Notes when {@code stored}'s next period becomes due. */
  void update(StoredAlarm stored) {
    if (nextCheck == null || stored.definition().isComposite()) {
      return;
    }
    AlarmDefinition def = stored.definition();
    long period = def.period() * 1000L;
    nextCheck.put(def.alarmName(), deadline.finalAt(def, stored.position() + period));
  }

  void forget(String alarmName) {
    if (nextCheck != null) {
      nextCheck.remove(alarmName);
    }
  }

  /** The alarms to look at now; {@code all} lists the partition's alarms on the first call. */
  List<String> due(long now, Supplier<List<StoredAlarm>> all) {
    if (nextCheck == null) {
      nextCheck = new HashMap<>();
      all.get().forEach(this::update);
    }
    List<String> due = new ArrayList<>();
    nextCheck.forEach(
        (name, at) -> {
          if (at <= now) {
            due.add(name);
          }
        });
    return due;
  }
}
