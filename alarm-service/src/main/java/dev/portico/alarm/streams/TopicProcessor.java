package dev.portico.alarm.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.notify.MessageRenderer;
import dev.portico.alarm.notify.Tokens;
import dev.portico.contracts.Json;
import dev.portico.contracts.Notification;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.Delivery;
import dev.portico.contracts.alarms.HistoryItem;
import dev.portico.contracts.alarms.NotificationTopic;
import dev.portico.contracts.alarms.Subscription;
import dev.portico.contracts.alarms.TopicCommand;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification topics of one partition: applies topic and subscription commands and fans each
 * published message out to the topic's confirmed subscriptions, one outbox record (PENDING
 * delivery) per subscription. Being the only writer of its topics, it needs no locks; the store,
 * the topics view and the outbox records commit in one transaction.
 */
final class TopicProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProcessor.class);

  /** How long a confirmation link works. */
  static final Duration CONFIRMATION_LIFETIME = Duration.ofDays(2);

  private final TopicNames topics;
  private final EvaluationSettings settings;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, NotificationTopic> store;

  TopicProcessor(TopicNames topics, EvaluationSettings settings) {
    this.topics = topics;
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    store = context.getStateStore(AlarmTopology.TOPICS_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    try {
      if (topic.equals(topics.topicCommands())) {
        command(
            Topics.NOTIFICATION_COMMANDS.decode(record.key(), record.value()), record.headers());
      } else {
        fanOut(Topics.NOTIFICATION_MESSAGES.decode(record.key(), record.value()));
      }
    } catch (RuntimeException unreadable) {
      LOG.error("Skipping an unreadable record on {}: {}", topic, unreadable.toString());
    }
  }

  private void command(TopicCommand c, Headers headers) {
    NotificationTopic topic = store.get(c.topicName());
    if (topic == null && !c.type().equals(TopicCommand.CREATE)) {
      fail(c.topicName(), headers, 404, "Topic \"" + c.topicName() + "\" does not exist");
      return;
    }
    switch (c.type()) {
      case TopicCommand.CREATE -> {
        NotificationTopic created =
            topic == null
                ? new NotificationTopic(c.topicName(), c.displayName(), c.timestamp(), List.of())
                : c.displayName() == null ? topic : topic.withDisplayName(c.displayName());
        save(created, headers);
      }
      case TopicCommand.DELETE -> {
        store.delete(c.topicName());
        forward(
            c.topicName(),
            null,
            EventHeaders.answering(Topics.NOTIFICATION_TOPICS, headers),
            AlarmTopology.TOPIC_VIEW_SINK);
      }
      case TopicCommand.SUBSCRIBE -> subscribe(topic, c, headers);
      case TopicCommand.CONFIRM -> confirm(topic, c, headers);
      case TopicCommand.UNSUBSCRIBE -> {
        Optional<Subscription> sub = topic.subscription(c.subscriptionId());
        if (sub.isEmpty()) {
          fail(c.topicName(), headers, 404, "Subscription not found (already unsubscribed?)");
        } else if (c.token() != null && !c.token().equals(sub.get().unsubscribeToken())) {
          fail(c.topicName(), headers, 403, "The unsubscribe link is not valid");
        } else {
          save(topic.without(c.subscriptionId()), headers);
        }
      }
      default -> LOG.error("Unknown topic command {}", c.type());
    }
  }

  private void subscribe(NotificationTopic topic, TopicCommand c, Headers headers) {
    Optional<Subscription> existing = topic.subscription(c.protocol(), c.endpoint());
    if (existing.isPresent() && existing.get().confirmed()) {
      save(topic, headers); // subscribing twice changes nothing
      return;
    }
    if (existing.isEmpty() && topic.subscriptions().size() >= NotificationTopic.MAX_SUBSCRIPTIONS) {
      fail(
          c.topicName(),
          headers,
          400,
          "Topic \""
              + c.topicName()
              + "\" has the maximum of "
              + NotificationTopic.MAX_SUBSCRIPTIONS
              + " subscriptions");
      return;
    }
    // A pending subscription subscribed again gets a fresh token and a fresh confirmation.
    Subscription sub =
        new Subscription(
            existing.map(Subscription::id).orElse(c.subscriptionId()),
            c.protocol(),
            c.endpoint(),
            Subscription.PENDING,
            Tokens.hash(c.token()),
            c.timestamp() + CONFIRMATION_LIFETIME.toMillis(),
            existing.map(Subscription::unsubscribeToken).orElse(Tokens.create()),
            existing.map(Subscription::createdTimestamp).orElse(c.timestamp()));
    NotificationTopic changed = topic.with(sub);
    save(changed, headers);
    String messageId = "confirm-" + sub.id() + "-" + c.timestamp();
    MessageRenderer renderer = settings.renderer();
    outbox(
        new Delivery(
            messageId,
            Delivery.CONFIRMATION,
            messageId,
            topic.name(),
            sub.id(),
            sub.protocol(),
            sub.endpoint(),
            fromName(topic),
            MessageRenderer.CONFIRMATION_SUBJECT,
            renderer.confirmation(topic, sub, c.token(), messageId, c.timestamp()),
            null,
            c.timestamp(),
            Delivery.PENDING,
            0,
            null,
            null,
            c.timestamp()));
  }

  private void confirm(NotificationTopic topic, TopicCommand c, Headers headers) {
    Optional<Subscription> sub = topic.subscription(c.subscriptionId());
    if (sub.isEmpty()) {
      fail(c.topicName(), headers, 404, "Subscription not found");
    } else if (sub.get().confirmed()) {
      save(topic, headers); // following the link twice is fine
    } else if (!Tokens.hash(c.token()).equals(sub.get().tokenHash())) {
      fail(c.topicName(), headers, 403, "The confirmation link is not valid");
    } else if (c.timestamp() > sub.get().tokenExpires()) {
      fail(
          c.topicName(),
          headers,
          410,
          "The confirmation link expired (it is valid 2 days); subscribe again");
    } else {
      save(topic.with(sub.get().confirm()), headers);
    }
  }

  private void fanOut(Notification n) {
    NotificationTopic topic = store.get(n.topicName());
    if (topic == null) {
      actionHistory(n, false, 0, "Topic \"" + n.topicName() + "\" does not exist");
      return;
    }
    List<Subscription> confirmed =
        topic.subscriptions().stream().filter(Subscription::confirmed).toList();
    for (Subscription sub : confirmed) {
      outbox(
          new Delivery(
              n.messageId() + "." + sub.id(),
              Delivery.NOTIFICATION,
              n.messageId(),
              topic.name(),
              sub.id(),
              sub.protocol(),
              sub.endpoint(),
              fromName(topic),
              n.subject() == null ? "Portico Notification" : n.subject(),
              settings.renderer().notification(n, topic, sub),
              n.alarmName(),
              n.timestamp(),
              Delivery.PENDING,
              0,
              null,
              null,
              n.timestamp()));
    }
    actionHistory(n, true, confirmed.size(), null);
  }

  /** An alarm action's outcome in the alarm's history; Publish API messages have no alarm. */
  private void actionHistory(Notification n, boolean published, int subscriptions, String error) {
    if (n.alarmName() == null) {
      return;
    }
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.put("actionState", published ? "Succeeded" : "Failed");
    data.put("notificationResource", n.topicName());
    data.put("stateUpdateTimestamp", n.timestamp());
    data.putObject("publishedMessage").put("messageId", n.messageId());
    data.put("subscriptions", subscriptions);
    if (error != null) {
      data.put("error", error);
    }
    String summary =
        published
            ? "Successfully executed action " + n.topicName()
            : "Failed to execute action " + n.topicName() + ". Received error: \"" + error + "\"";
    HistoryItem item =
        new HistoryItem(
            n.alarmName(),
            null,
            settings.clock().millis(),
            HistoryItem.ACTION,
            summary,
            Json.toString(data));
    forward(
        n.alarmName(),
        item,
        EventHeaders.of(Topics.ALARM_HISTORY),
        AlarmTopology.TOPIC_HISTORY_SINK);
  }

  private String fromName(NotificationTopic topic) {
    return topic.displayName() != null ? topic.displayName() : settings.fromName();
  }

  private void save(NotificationTopic topic, Headers commandHeaders) {
    store.put(topic.name(), topic);
    forward(
        topic.name(),
        topic,
        EventHeaders.answering(Topics.NOTIFICATION_TOPICS, commandHeaders),
        AlarmTopology.TOPIC_VIEW_SINK);
  }

  private void fail(String topicName, Headers headers, int status, String message) {
    // A tombstone answers the command; when the topic exists, its current record answers instead
    // so the compacted view keeps it.
    NotificationTopic current = store.get(topicName);
    forward(
        topicName,
        current,
        EventHeaders.failing(Topics.NOTIFICATION_TOPICS, headers, status, message),
        AlarmTopology.TOPIC_VIEW_SINK);
  }

  private void outbox(Delivery delivery) {
    forward(
        delivery.deliveryId(),
        delivery,
        EventHeaders.of(Topics.NOTIFICATION_DELIVERIES),
        AlarmTopology.DELIVERIES_SINK);
  }

  /** Stamped with the wall clock, never the evaluation clock: see {@link AlarmEmitter}. */
  private void forward(String key, Object value, Headers headers, String sink) {
    context.forward(
        new Record<String, Object>(key, value, context.currentSystemTimeMs(), headers), sink);
  }
}
