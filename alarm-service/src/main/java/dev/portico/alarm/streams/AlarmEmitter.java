package dev.portico.alarm.streams;

import dev.portico.alarm.model.AlarmDefinition;
import dev.portico.alarm.model.AlarmState;
import dev.portico.alarm.model.ChildState;
import dev.portico.alarm.model.HistoryItem;
import dev.portico.alarm.model.Signal;
import dev.portico.alarm.model.StoredAlarm;
import dev.portico.alarm.notify.Notification;
import java.time.Clock;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where the alarms processor's records go: one method per output topic, each record with its
 * Portico headers. Everything forwarded here commits in the processor's transaction.
 */
final class AlarmEmitter {
  private final ProcessorContext<String, Object> context;
  private final Clock clock;

  AlarmEmitter(ProcessorContext<String, Object> context, Clock clock) {
    this.context = context;
    this.clock = clock;
  }

  /** The alarm's current record for every replica's view (answering a command, if headed so). */
  void view(StoredAlarm stored, Headers headers) {
    forward(
        stored.definition().alarmName(),
        stored.record(),
        clock.millis(),
        headers,
        AlarmTopology.ALARM_VIEW_SINK);
  }

  /** A tombstone in the view: deleted, or (with an error header) the answer to a failed command. */
  void gone(String alarmName, Headers headers) {
    forward(alarmName, null, clock.millis(), headers, AlarmTopology.ALARM_VIEW_SINK);
  }

  void history(HistoryItem item) {
    forward(
        item.alarmName(),
        item,
        item.timestamp(),
        EventHeaders.of("HistoryItem"),
        AlarmTopology.HISTORY_SINK);
  }

  void stateChange(AlarmDefinition def, AlarmState previous, AlarmState next) {
    forward(
        def.alarmName(),
        AlarmOutputs.stateChange(def, previous, next),
        next.timestamp(),
        EventHeaders.of("AlarmStateChange"),
        AlarmTopology.STATE_CHANGES_SINK);
  }

  /** Tells every partition (composite alarms anywhere may name this one). */
  void broadcast(String alarmName, ChildState state) {
    forward(
        alarmName,
        Signal.of(alarmName, state),
        state.timestamp(),
        EventHeaders.of("Signal"),
        AlarmTopology.SIGNALS_SINK);
  }

  void publish(Notification notification) {
    forward(
        notification.topicName(),
        notification,
        notification.timestamp(),
        EventHeaders.of("Notification"),
        AlarmTopology.MESSAGES_SINK);
  }

  private void forward(String key, Object value, long timestamp, Headers headers, String sink) {
    context.forward(new Record<String, Object>(key, value, timestamp, headers), sink);
  }
}
