package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A change to one alarm, from the REST API to the evaluator (keyed by alarm name), applied in order
 * with that alarm's datapoints.
 *
 * @param state for {@link #SET_STATE}: value, reason and reason data to set
 * @param children for a composite {@link #PUT}: the states of the alarms its rule names, as the API
 *     saw them; later changes arrive as signals
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlarmCommand(
    String type, AlarmDefinition definition, AlarmState state, Map<String, ChildState> children) {
  public static final String PUT = "Put";
  public static final String DELETE = "Delete";
  public static final String SET_STATE = "SetState";
  public static final String ENABLE_ACTIONS = "EnableActions";
  public static final String DISABLE_ACTIONS = "DisableActions";
}
