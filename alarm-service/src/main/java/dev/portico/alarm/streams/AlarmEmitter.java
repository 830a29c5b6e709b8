package dev.portico.alarm.streams;

import dev.portico.alarm.model.StoredAlarm;
import dev.portico.contracts.Notification;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import dev.portico.contracts.alarms.HistoryItem;
import dev.portico.contracts.alarms.Signal;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where the alarms processor's records go: one method per output topic, each record with its
 * Portico headers. Everything forwarded here commits in the processor's transaction.
 *
 * <p>Records are stamped with the wall clock (the time they are written), never with the evaluation
 * clock: Kafka's retention counts from a record's timestamp, so a record stamped with an evaluation
 * time older than its topic's retention (a clock a test set in the past) is deleted by the broker's
 * next retention pass, often before its reader got it: a notification or an outbox entry lost
 * without a trace. The times that matter to alarms are in the values.
 */
final class AlarmEmitter {
  private final ProcessorContext<String, Object> context;

  AlarmEmitter(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  /** The alarm's current record for every replica's view (answering a command, if headed so). */
  void view(StoredAlarm stored, Headers headers) {
    forward(
        stored.definition().alarmName(), stored.record(), headers, AlarmTopology.ALARM_VIEW_SINK);
  }

  /** A tombstone in the view: deleted, or (with an error header) the answer to a failed command. */
  void gone(String alarmName, Headers headers) {
    forward(alarmName, null, headers, AlarmTopology.ALARM_VIEW_SINK);
  }

  void history(HistoryItem item) {
    forward(
        item.alarmName(), item, EventHeaders.of(Topics.ALARM_HISTORY), AlarmTopology.HISTORY_SINK);
  }

  void stateChange(AlarmDefinition def, AlarmState previous, AlarmState next) {
    forward(
        def.alarmName(),
        AlarmOutputs.stateChange(def, previous, next),
        EventHeaders.of(Topics.ALARM_STATE_CHANGES),
        AlarmTopology.STATE_CHANGES_SINK);
  }

  /** Tells every partition (composite alarms anywhere may name this one). */
  void broadcast(String alarmName, ChildState state) {
    forward(
        alarmName,
        Signal.of(alarmName, state),
        EventHeaders.of(Topics.ALARM_SIGNALS),
        AlarmTopology.SIGNALS_SINK);
  }

  void publish(Notification notification) {
    forward(
        notification.topicName(),
        notification,
        EventHeaders.of(Topics.NOTIFICATION_MESSAGES),
        AlarmTopology.MESSAGES_SINK);
  }

  private void forward(String key, Object value, Headers headers, String sink) {
    context.forward(
        new Record<String, Object>(key, value, context.currentSystemTimeMs(), headers), sink);
  }
}
