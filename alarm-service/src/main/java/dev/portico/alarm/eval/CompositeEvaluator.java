package dev.portico.alarm.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides a composite alarm's state from the states of the alarms its rule names: ALARM when the
 * rule is true; otherwise INSUFFICIENT_DATA while no named alarm has left INSUFFICIENT_DATA (or
 * none exists), else OK. Pure.
 */
public final class CompositeEvaluator {
  private CompositeEvaluator() {}

  /**
   * @param trigger the alarm whose transition caused this evaluation, or null (creation, update)
   */
  public static Verdict evaluate(
      Rule rule, Map<String, ChildState> children, String trigger, long now) {
    Map<String, String> states = new HashMap<>();
    children.forEach(
        (name, state) -> {
          if (state != null && state.value() != null) {
            states.put(name, state.value());
          }
        });
    String value;
    if (rule.matches(states)) {
      value = AlarmState.ALARM;
    } else if (states.values().stream().allMatch(AlarmState.INSUFFICIENT_DATA::equals)) {
      value = AlarmState.INSUFFICIENT_DATA;
    } else {
      value = AlarmState.OK;
    }
    String reason;
    ChildState triggering = trigger == null ? null : children.get(trigger);
    if (triggering != null && triggering.value() != null) {
      reason =
          trigger
              + " transitioned to "
              + triggering.value()
              + " at "
              + Texts.emailTime(triggering.timestamp());
    } else {
      reason = "Alarm rule evaluated to " + (AlarmState.ALARM.equals(value) ? "TRUE" : "FALSE");
    }
    return new Verdict(value, reason, reasonData(children, now));
  }

  private static String reasonData(Map<String, ChildState> children, long now) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.put("version", "1.0");
    data.put("queryDate", Texts.reasonDataTime(now));
    ArrayNode alarms = data.putArray("triggeringAlarms");
    new TreeMap<>(children)
        .forEach(
            (name, state) -> {
              ObjectNode entry = alarms.addObject().put("alarmName", name);
              if (state != null && state.value() != null) {
                entry
                    .putObject("state")
                    .put("value", state.value())
                    .put("timestamp", Texts.reasonDataTime(state.timestamp()));
              }
            });
    return Json.toString(data);
  }
}
