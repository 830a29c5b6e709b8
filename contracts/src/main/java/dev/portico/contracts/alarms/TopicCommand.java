package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A change to one notification topic or its subscriptions, from the REST API (or a link someone
 * followed) to the topic's partition owner, keyed by topic name.
 *
 * @param token the raw confirmation token (Subscribe: the one to mail; Confirm: the one presented)
 *     or unsubscribe token (Unsubscribe through a link; null when an API caller unsubscribes)
 * @param timestamp epoch ms when the API accepted the command
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TopicCommand(
    String type,
    String topicName,
    String displayName,
    String subscriptionId,
    String protocol,
    String endpoint,
    String token,
    long timestamp) {
  public static final String CREATE = "CreateTopic";
  public static final String DELETE = "DeleteTopic";
  public static final String SUBSCRIBE = "Subscribe";
  public static final String CONFIRM = "ConfirmSubscription";
  public static final String UNSUBSCRIBE = "Unsubscribe";
}
