package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An alarm's transition from one state to another, as alarm-service publishes it (keyed by alarm
 * name): the shape of CloudWatch's alarm state-change event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlarmStateChange(
    String alarmName, State state, State previousState, Map<String, Object> configuration) {

  /**
   * @param value {@code OK}, {@code ALARM} or {@code INSUFFICIENT_DATA}
   * @param reasonData the StateReasonData JSON, as text
   * @param timestamp ISO-8601 UTC
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record State(String value, String reason, String reasonData, String timestamp) {}
}
