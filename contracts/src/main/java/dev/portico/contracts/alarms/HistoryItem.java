package dev.portico.contracts.alarms;

/**
 * One entry of an alarm's history (CloudWatch's AlarmHistoryItem), kept two weeks, also after the
 * alarm is deleted.
 *
 * @param historyItemType {@code ConfigurationUpdate}, {@code StateUpdate} or {@code Action}
 * @param historyData JSON text
 * @param timestamp epoch ms
 */
public record HistoryItem(
    String alarmName,
    String alarmType,
    long timestamp,
    String historyItemType,
    String historySummary,
    String historyData) {
  public static final String CONFIGURATION_UPDATE = "ConfigurationUpdate";
  public static final String STATE_UPDATE = "StateUpdate";
  public static final String ACTION = "Action";
}
