package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portico.contracts.MetricDatapoint;

/**
 * Something every evaluator partition must see, because any partition may hold an alarm that cares:
 * a final datapoint (for the alarms watching its metric) or an alarm's transition (for the
 * composite alarms naming it). Exactly one field is set. Copied to every partition of the signals
 * topic.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Signal(MetricDatapoint datapoint, String alarmName, ChildState alarmState) {
  public static Signal of(MetricDatapoint datapoint) {
    return new Signal(datapoint, null, null);
  }

  public static Signal of(String alarmName, ChildState state) {
    return new Signal(null, alarmName, state);
  }
}
