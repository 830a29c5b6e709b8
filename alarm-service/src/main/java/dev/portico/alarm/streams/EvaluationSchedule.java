package dev.portico.alarm.streams;

import dev.portico.alarm.model.AlarmDefinition;
import dev.portico.alarm.model.StoredAlarm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * When the clock must evaluate a partition's metric alarms: a period counts as missing once its end
 * plus the datapoint delay has passed without its final datapoint. Kept in memory, rebuilt from the
 * store on the first tick after a restart or a rebalance (the store has each alarm's position).
 */
final class EvaluationSchedule {
  private final Duration datapointDelay;
  private Map<String, Long> nextCheck;

  EvaluationSchedule(Duration datapointDelay) {
    this.datapointDelay = datapointDelay;
  }

  /**
   * The newest period whose final datapoint must have arrived by {@code now}: its end plus the
   * datapoint delay is not after {@code now}.
   */
  long dueSlot(AlarmDefinition def, long now) {
    long period = def.period() * 1000L;
    long ready = now - datapointDelay.toMillis();
    return Math.floorDiv(ready, period) * period - period;
  }

  /** Notes when {@code stored}'s next period becomes due. */
  void update(StoredAlarm stored) {
    if (nextCheck == null || stored.definition().isComposite()) {
      return;
    }
    long period = stored.definition().period() * 1000L;
    nextCheck.put(
        stored.definition().alarmName(),
        stored.position() + 2 * period + datapointDelay.toMillis());
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
