package dev.portico.alarm.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.model.AlarmJson;
import dev.portico.alarm.notify.AlarmMessages;
import dev.portico.contracts.AlarmStateChange;
import dev.portico.contracts.Json;
import dev.portico.contracts.Notification;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.HistoryItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The records an alarm's configuration change or transition produces: history items, the
 * CloudWatch-shaped state-change event, and one notification per action topic. Pure functions.
 */
final class AlarmOutputs {
  private AlarmOutputs() {}

  static HistoryItem created(AlarmDefinition def, long now) {
    ObjectNode data = version();
    data.put("type", "Create");
    data.set("createdAlarm", AlarmJson.describe(def, null));
    return configuration(def, now, "Alarm \"" + def.alarmName() + "\" created", data);
  }

  static HistoryItem updated(AlarmDefinition before, AlarmDefinition after, long now) {
    ObjectNode data = version();
    data.put("type", "Update");
    data.set("originalUpdatedAlarm", AlarmJson.describe(before, null));
    data.set("updatedAlarm", AlarmJson.describe(after, null));
    return configuration(after, now, "Alarm \"" + after.alarmName() + "\" updated", data);
  }

  static HistoryItem deleted(AlarmDefinition def, long now) {
    ObjectNode data = version();
    data.put("type", "Delete");
    data.set("deletedAlarm", AlarmJson.describe(def, null));
    return configuration(def, now, "Alarm \"" + def.alarmName() + "\" deleted", data);
  }

  static HistoryItem actionsToggled(AlarmDefinition def, boolean enabled, long now) {
    ObjectNode data = version();
    data.put("type", "Update");
    data.put("actionsEnabled", enabled);
    return configuration(
        def,
        now,
        "Alarm \"" + def.alarmName() + "\" actions " + (enabled ? "enabled" : "disabled"),
        data);
  }

  static HistoryItem stateUpdate(AlarmDefinition def, AlarmState previous, AlarmState next) {
    ObjectNode data = version();
    data.set("oldState", stateJson(previous));
    data.set("newState", stateJson(next));
    return new HistoryItem(
        def.alarmName(),
        def.alarmType(),
        next.timestamp(),
        HistoryItem.STATE_UPDATE,
        "Alarm updated from " + previous.value() + " to " + next.value(),
        Json.toString(data));
  }

  @SuppressWarnings("unchecked")
  static AlarmStateChange stateChange(AlarmDefinition def, AlarmState previous, AlarmState next) {
    return new AlarmStateChange(
        def.alarmName(),
        contractState(next),
        contractState(previous),
        Json.MAPPER.convertValue(AlarmJson.describe(def, null), Map.class));
  }

  /** One notification per topic of the actions for the new state (none when actions are off). */
  static List<Notification> notifications(
      AlarmMessages messages, AlarmDefinition def, AlarmState previous, AlarmState next) {
    List<Notification> out = new ArrayList<>();
    if (!def.actionsEnabled()) {
      return out;
    }
    String subject = messages.subject(def, next);
    String text = messages.text(def, previous, next);
    String json = messages.json(def, previous, next);
    for (String topic : def.actionsFor(next.value())) {
      out.add(
          new Notification(
              messageId(def.alarmName(), next, topic),
              topic,
              subject,
              text,
              json,
              def.alarmName(),
              next.timestamp()));
    }
    return out;
  }

  /**
   * The same transition always yields the same message id, hence the same delivery ids: whatever
   * reprocesses it, a subscription gets it once.
   */
  static String messageId(String alarmName, AlarmState state, String topic) {
    String identity =
        alarmName + '\n' + state.transitionedTimestamp() + '\n' + state.value() + '\n' + topic;
    return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static AlarmStateChange.State contractState(AlarmState s) {
    return new AlarmStateChange.State(
        s.value(), s.reason(), s.reasonData(), AlarmJson.iso(s.timestamp()));
  }

  private static ObjectNode stateJson(AlarmState s) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("stateValue", s.value());
    node.put("stateReason", s.reason());
    if (s.reasonData() != null) {
      try {
        JsonNode data = Json.MAPPER.readTree(s.reasonData());
        node.set("stateReasonData", data);
      } catch (Exception notJson) {
        node.put("stateReasonData", s.reasonData());
      }
    }
    return node;
  }

  private static ObjectNode version() {
    return Json.MAPPER.createObjectNode().put("version", "1.0");
  }

  private static HistoryItem configuration(
      AlarmDefinition def, long now, String summary, ObjectNode data) {
    return new HistoryItem(
        def.alarmName(),
        def.alarmType(),
        now,
        HistoryItem.CONFIGURATION_UPDATE,
        summary,
        Json.toString(data));
  }
}
