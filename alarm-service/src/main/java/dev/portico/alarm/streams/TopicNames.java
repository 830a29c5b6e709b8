package dev.portico.alarm.streams;

import dev.portico.contracts.Topics;
import dev.portico.runtime.KafkaSettings;

/** The full names of the topics alarm-service's topology reads and writes, prefix applied. */
public record TopicNames(
    String datapoints,
    String commands,
    String signals,
    String alarms,
    String stateChanges,
    String history,
    String topicCommands,
    String messages,
    String topics,
    String deliveries,
    String deadLetters) {

  public static TopicNames of(KafkaSettings kafka) {
    return new TopicNames(
        kafka.topic(Topics.METRICS_DATAPOINTS),
        kafka.topic(Topics.ALARM_COMMANDS),
        kafka.topic(Topics.ALARM_SIGNALS),
        kafka.topic(Topics.ALARMS),
        kafka.topic(Topics.ALARM_STATE_CHANGES),
        kafka.topic(Topics.ALARM_HISTORY),
        kafka.topic(Topics.NOTIFICATION_COMMANDS),
        kafka.topic(Topics.NOTIFICATION_MESSAGES),
        kafka.topic(Topics.NOTIFICATION_TOPICS),
        kafka.topic(Topics.NOTIFICATION_DELIVERIES),
        kafka.topic(Topics.NOTIFICATION_DEAD_LETTERS));
  }
}
