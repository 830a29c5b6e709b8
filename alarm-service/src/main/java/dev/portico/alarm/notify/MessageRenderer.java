package dev.portico.alarm.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.Notification;
import dev.portico.contracts.alarms.NotificationTopic;
import dev.portico.contracts.alarms.Subscription;
import java.time.Instant;

/**
 * Turns a published message into what one subscription receives: for {@code email} the text plus
 * the unsubscribe footer; for {@code email-json} and {@code http(s)} an SNS-shaped JSON document
 * with the message and the unsubscribe URL. Also renders subscription confirmations.
 */
public final class MessageRenderer {
  public static final String CONFIRMATION_SUBJECT =
      "Portico Notification - Subscription Confirmation";

  private final Links links;

  public MessageRenderer(Links links) {
    this.links = links;
  }

  public String notification(Notification n, NotificationTopic topic, Subscription sub) {
    if (sub.protocol().equals("email")) {
      return n.message()
          + "\n\n--\n"
          + "If you wish to stop receiving notifications from this topic, please click or visit the"
          + " link below to unsubscribe:\n"
          + links.unsubscribe(sub)
          + "\n\nPlease do not reply directly to this email.\n";
    }
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("Type", "Notification");
    doc.put("MessageId", n.messageId());
    doc.put("Topic", topic.name());
    if (n.subject() != null) {
      doc.put("Subject", n.subject());
    }
    doc.put("Message", n.jsonMessage() != null ? n.jsonMessage() : n.message());
    doc.put("Timestamp", Instant.ofEpochMilli(n.timestamp()).toString());
    doc.put("UnsubscribeURL", links.unsubscribe(sub));
    return Json.toString(doc);
  }

  public String confirmation(
      NotificationTopic topic, Subscription sub, String token, String messageId, long now) {
    String url = links.confirm(sub.id(), token);
    if (sub.protocol().equals("email")) {
      return "You have chosen to subscribe to the topic:\n"
          + topic.name()
          + "\n\nTo confirm this subscription, click or visit the link below (If this was in error"
          + " no action is necessary; the link expires in 2 days):\n"
          + "Confirm subscription: "
          + url
          + "\n\nPlease do not reply directly to this email.\n";
    }
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("Type", "SubscriptionConfirmation");
    doc.put("MessageId", messageId);
    doc.put("Token", token);
    doc.put("Topic", topic.name());
    doc.put(
        "Message",
        "You have chosen to subscribe to the topic "
            + topic.name()
            + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
    doc.put("SubscribeURL", url);
    doc.put("Timestamp", Instant.ofEpochMilli(now).toString());
    return Json.toString(doc);
  }
}
