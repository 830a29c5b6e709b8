package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A message published to a topic (by the Publish API or an alarm action), keyed by topic name; the
 * topic's owner fans it out to every confirmed subscription.
 *
 * @param messageId unique; an alarm action's id is derived from its transition, so the same
 *     transition always yields the same deliveries
 * @param message the text email subscribers receive
 * @param jsonMessage the {@code Message} field email-json and http subscribers receive (an alarm's
 *     JSON form); null means the same as {@code message}
 * @param alarmName the alarm whose action published it, for its history; null for Publish
 * @param timestamp epoch ms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(
    String messageId,
    String topicName,
    String subject,
    String message,
    String jsonMessage,
    String alarmName,
    long timestamp) {}
