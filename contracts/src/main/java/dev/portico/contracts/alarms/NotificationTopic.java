package dev.portico.contracts.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A notification topic (SNS's topic) with its subscriptions: the value of the compacted topics
 * topic, keyed by name. One record holds the topic and all its subscriptions, so a topic's
 * partition owner is the only writer of both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationTopic(
    String name, String displayName, long createdTimestamp, List<Subscription> subscriptions) {

  /** At most this many subscriptions per topic (the record must stay well under 1 MB). */
  public static final int MAX_SUBSCRIPTIONS = 1000;

  public Optional<Subscription> subscription(String id) {
    return subscriptions.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public Optional<Subscription> subscription(String protocol, String endpoint) {
    return subscriptions.stream()
        .filter(s -> s.protocol().equals(protocol) && s.endpoint().equals(endpoint))
        .findFirst();
  }

  public NotificationTopic with(Subscription changed) {
    List<Subscription> list = new ArrayList<>();
    boolean replaced = false;
    for (Subscription s : subscriptions) {
      if (s.id().equals(changed.id())) {
        list.add(changed);
        replaced = true;
      } else {
        list.add(s);
      }
    }
    if (!replaced) {
      list.add(changed);
    }
    return new NotificationTopic(name, displayName, createdTimestamp, List.copyOf(list));
  }

  public NotificationTopic without(String subscriptionId) {
    return new NotificationTopic(
        name,
        displayName,
        createdTimestamp,
        subscriptions.stream().filter(s -> !s.id().equals(subscriptionId)).toList());
  }

  public NotificationTopic withDisplayName(String newDisplayName) {
    return new NotificationTopic(name, newDisplayName, createdTimestamp, subscriptions);
  }
}
