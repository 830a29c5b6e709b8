package dev.portico.contracts.alarms;

/**
 * The state of an alarm a composite alarm's rule names, as the composite last heard of it.
 *
 * @param value OK, ALARM, INSUFFICIENT_DATA, or null when the alarm does not exist (any more)
 * @param timestamp epoch ms of that state's transition
 */
public record ChildState(String value, long timestamp) {}
