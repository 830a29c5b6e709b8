package dev.portico.alarm.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmRecord;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import java.util.List;
import java.util.Map;

/**
 * Everything the evaluator keeps about one alarm, in its partition's store (changelogged, so a
 * restart or another replica continues exactly here).
 *
 * @param datapoints the alarm's statistic per period within the evaluation range, oldest first
 * @param position the newest period start (epoch ms) whose window has been evaluated: each period
 *     is evaluated once when its final datapoint arrives or, failing that, when the clock says its
 *     datapoint is overdue
 * @param children for a composite alarm, the last known state of every alarm its rule names
 * @param partials periods being rolled up from finer datapoints (alarm periods metrics-service does
 *     not emit), oldest first; null when none
 * @param inputs for a metric-math alarm, the values of its MetricStat entries per period within the
 *     evaluation range (plus one older period, for RATE); its {@code datapoints} are the
 *     expression's values computed from them. Null for other alarms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredAlarm(
    AlarmDefinition definition,
    AlarmState state,
    List<Datapoint> datapoints,
    long position,
    Map<String, ChildState> children,
    List<PartialPeriod> partials,
    List<InputPoint> inputs) {

  public StoredAlarm(
      AlarmDefinition definition,
      AlarmState state,
      List<Datapoint> datapoints,
      long position,
      Map<String, ChildState> children,
      List<PartialPeriod> partials) {
    this(definition, state, datapoints, position, children, partials, null);
  }

  public StoredAlarm(
      AlarmDefinition definition,
      AlarmState state,
      List<Datapoint> datapoints,
      long position,
      Map<String, ChildState> children) {
    this(definition, state, datapoints, position, children, null, null);
  }

  public StoredAlarm with(AlarmState newState) {
    return new StoredAlarm(definition, newState, datapoints, position, children, partials, inputs);
  }

  public StoredAlarm with(AlarmDefinition newDefinition) {
    return new StoredAlarm(newDefinition, state, datapoints, position, children, partials, inputs);
  }

  public StoredAlarm withPartials(List<PartialPeriod> newPartials) {
    return new StoredAlarm(
        definition,
        state,
        datapoints,
        position,
        children,
        newPartials == null || newPartials.isEmpty() ? null : List.copyOf(newPartials),
        inputs);
  }

  /** With the newest evaluated period moved to {@code newPosition}; everything else kept. */
  public StoredAlarm withPosition(long newPosition) {
    return new StoredAlarm(definition, state, datapoints, newPosition, children, partials, inputs);
  }

  public StoredAlarm withDatapoints(List<Datapoint> newDatapoints) {
    return new StoredAlarm(
        definition, state, List.copyOf(newDatapoints), position, children, partials, inputs);
  }

  public StoredAlarm withInputs(List<InputPoint> newInputs) {
    return new StoredAlarm(
        definition, state, datapoints, position, children, partials, List.copyOf(newInputs));
  }

  public AlarmRecord record() {
    return new AlarmRecord(definition, state);
  }
}
