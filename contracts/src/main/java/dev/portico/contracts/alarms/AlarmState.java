package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An alarm's current state.
 *
 * @param reasonData StateReasonData as JSON text, or null
 * @param timestamp epoch ms when the state (value or reason) was last set
 * @param transitionedTimestamp epoch ms of the last change of {@code value}
 * @param setByApi set by SetAlarmState; the next evaluation replaces it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlarmState(
    String value,
    String reason,
    String reasonData,
    long timestamp,
    long transitionedTimestamp,
    boolean setByApi) {

  public static final String OK = "OK";
  public static final String ALARM = "ALARM";
  public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

  public static final String INITIAL_REASON = "Unchecked: Initial alarm creation";

  public static AlarmState initial(long now) {
    return new AlarmState(INSUFFICIENT_DATA, INITIAL_REASON, null, now, now, false);
  }

  public static boolean isValue(String value) {
    return OK.equals(value) || ALARM.equals(value) || INSUFFICIENT_DATA.equals(value);
  }
}
