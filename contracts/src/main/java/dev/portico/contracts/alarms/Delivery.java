package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One message to one subscription: the outbox entry and its delivery state in one record of the
 * compacted deliveries topic, keyed by {@code deliveryId} = message id + subscription id. The
 * topic's owner writes it {@link #PENDING}; the delivery worker rewrites it as it goes. Because the
 * id is the same for every retry and every replica, a delivery recorded {@link #DELIVERED} is never
 * sent again.
 *
 * @param kind {@code Notification} or {@code SubscriptionConfirmation}
 * @param body the complete message as sent (email text, or the JSON document for email-json/http)
 * @param attempts delivery attempts started so far
 * @param nextAttemptAt epoch ms of the next attempt, while {@link #RETRYING}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(
    String deliveryId,
    String kind,
    String messageId,
    String topicName,
    String subscriptionId,
    String protocol,
    String endpoint,
    String fromName,
    String subject,
    String body,
    String alarmName,
    long createdTimestamp,
    String status,
    int attempts,
    Long nextAttemptAt,
    String lastError,
    Long updatedTimestamp) {

  public static final String NOTIFICATION = "Notification";
  public static final String CONFIRMATION = "SubscriptionConfirmation";

  /** Written by the topic's owner; not tried yet. */
  public static final String PENDING = "PENDING";

  /**
   * An attempt started and its outcome is not recorded yet (a crash here is the duplicate risk).
   */
  public static final String SENDING = "SENDING";

  public static final String RETRYING = "RETRYING";
  public static final String DELIVERED = "DELIVERED";

  /** Every attempt failed, or the failure was permanent; a copy went to the dead-letter topic. */
  public static final String DEAD = "DEAD";

  /** No SMTP server is configured: kept, listable through the API, not sent. */
  public static final String HELD = "HELD";

  /** The subscription was removed before the message went out. */
  public static final String SKIPPED = "SKIPPED";

  @JsonIgnore
  public boolean isFinal() {
    return DELIVERED.equals(status)
        || DEAD.equals(status)
        || HELD.equals(status)
        || SKIPPED.equals(status);
  }

  @JsonIgnore
  public boolean isEmail() {
    return protocol.startsWith("email");
  }

  public Delivery withStatus(
      String newStatus, int newAttempts, Long newNextAttemptAt, String error, long now) {
    return new Delivery(
        deliveryId,
        kind,
        messageId,
        topicName,
        subscriptionId,
        protocol,
        endpoint,
        fromName,
        subject,
        body,
        alarmName,
        createdTimestamp,
        newStatus,
        newAttempts,
        newNextAttemptAt,
        error,
        now);
  }
}
