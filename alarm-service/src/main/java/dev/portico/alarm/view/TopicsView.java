package dev.portico.alarm.view;

import dev.portico.contracts.alarms.NotificationTopic;
import dev.portico.contracts.alarms.Subscription;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Every notification topic with its subscriptions, and which topic each subscription is in. */
public final class TopicsView {
  private final NavigableMap<String, NotificationTopic> topics = new ConcurrentSkipListMap<>();
  private final Map<String, String> topicOfSubscription = new ConcurrentHashMap<>();

  void apply(String name, NotificationTopic topic) {
    NotificationTopic before = topic == null ? topics.remove(name) : topics.put(name, topic);
    if (before != null) {
      before.subscriptions().forEach(s -> topicOfSubscription.remove(s.id(), name));
    }
    if (topic != null) {
      topic.subscriptions().forEach(s -> topicOfSubscription.put(s.id(), name));
    }
  }

  public NotificationTopic get(String name) {
    return topics.get(name);
  }

  public Collection<NotificationTopic> all() {
    return topics.values();
  }

  /** The topic a subscription belongs to, if it exists. */
  public Optional<NotificationTopic> topicOf(String subscriptionId) {
    String name = topicOfSubscription.get(subscriptionId);
    return Optional.ofNullable(name == null ? null : topics.get(name));
  }

  public Optional<Subscription> subscription(String subscriptionId) {
    return topicOf(subscriptionId).flatMap(t -> t.subscription(subscriptionId));
  }
}
