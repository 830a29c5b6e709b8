package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.model.AlarmJson;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.Delivery;
import dev.portico.contracts.alarms.NotificationTopic;
import dev.portico.contracts.alarms.Subscription;
import java.util.Collection;

/** Topics, subscriptions and deliveries as the API shows them (SNS's field names). */
final class TopicJson {
  private TopicJson() {}

  static ObjectNode topic(NotificationTopic t) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("Name", t.name());
    if (t.displayName() != null) {
      o.put("DisplayName", t.displayName());
    }
    o.put("CreatedTimestamp", AlarmJson.iso(t.createdTimestamp()));
    o.put("SubscriptionsConfirmed", count(t.subscriptions(), true));
    o.put("SubscriptionsPending", count(t.subscriptions(), false));
    return o;
  }

  private static long count(Collection<Subscription> subs, boolean confirmed) {
    return subs.stream().filter(s -> s.confirmed() == confirmed).count();
  }

  static ObjectNode subscription(String topic, Subscription s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("SubscriptionId", s.id());
    o.put("Topic", topic);
    o.put("Protocol", s.protocol());
    o.put("Endpoint", s.endpoint());
    o.put("Status", s.status());
    if (!s.confirmed()) {
      o.put("ConfirmationExpires", AlarmJson.iso(s.tokenExpires()));
    }
    o.put("CreatedTimestamp", AlarmJson.iso(s.createdTimestamp()));
    return o;
  }

  static ObjectNode delivery(Delivery d) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("DeliveryId", d.deliveryId());
    o.put("Kind", d.kind());
    o.put("MessageId", d.messageId());
    o.put("Topic", d.topicName());
    o.put("SubscriptionId", d.subscriptionId());
    o.put("Protocol", d.protocol());
    o.put("Endpoint", d.endpoint());
    o.put("Subject", d.subject());
    o.put("Body", d.body());
    if (d.alarmName() != null) {
      o.put("AlarmName", d.alarmName());
    }
    o.put("Status", d.status());
    o.put("Attempts", d.attempts());
    if (d.nextAttemptAt() != null) {
      o.put("NextAttempt", AlarmJson.iso(d.nextAttemptAt()));
    }
    if (d.lastError() != null) {
      o.put("LastError", d.lastError());
    }
    o.put("CreatedTimestamp", AlarmJson.iso(d.createdTimestamp()));
    if (d.updatedTimestamp() != null) {
      o.put("UpdatedTimestamp", AlarmJson.iso(d.updatedTimestamp()));
    }
    return o;
  }
}
