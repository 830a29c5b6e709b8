package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One subscriber of a topic. Email and http subscriptions start {@link #PENDING} and receive
 * messages only once {@link #CONFIRMED} through the link of their confirmation message.
 *
 * @param protocol {@code email}, {@code email-json} or {@code http}/{@code https}
 * @param tokenHash SHA-256 (hex) of the confirmation token; the token itself is only in the
 *     confirmation message
 * @param tokenExpires epoch ms after which the confirmation link no longer works (2 days)
 * @param unsubscribeToken the secret of the unsubscribe link every message carries
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(
    String id,
    String protocol,
    String endpoint,
    String status,
    String tokenHash,
    long tokenExpires,
    String unsubscribeToken,
    long createdTimestamp) {
  public static final String PENDING = "PendingConfirmation";
  public static final String CONFIRMED = "Confirmed";

  @JsonIgnore
  public boolean confirmed() {
    return CONFIRMED.equals(status);
  }

  public Subscription confirm() {
    return new Subscription(
        id, protocol, endpoint, CONFIRMED, null, 0, unsubscribeToken, createdTimestamp);
  }
}
