package dev.portico.alarm.view;

import dev.portico.alarm.streams.EventHeaders;
import dev.portico.alarm.streams.TopicNames;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.Topic;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.HistoryItem;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.kit.Replay;
import dev.portico.runtime.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica's views (alarms, topics, history, deliveries) up to date: one consumer,
 * outside any group, reading every partition of those topics from the beginning, committed records
 * only. The API serves reads from the views and learns here that its commands were applied. Ready
 * once it has read up to the ends it found at start-up.
 */
public final class ViewReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ViewReader.class);

  private final KafkaSettings kafka;
  private final TopicNames names;
  private final Clock clock;
  private final CommandWaiters waiters;
  private final AlarmsView alarms = new AlarmsView();
  private final TopicsView topics = new TopicsView();
  private final HistoryView history;
  private final DeliveriesView deliveries;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile ConsumerLoop<String, byte[]> loop;

  public ViewReader(
      KafkaSettings kafka,
      TopicNames names,
      Clock clock,
      CommandWaiters waiters,
      Duration historyRetention,
      int deliveryLimit) {
    this.kafka = kafka;
    this.names = names;
    this.clock = clock;
    this.waiters = waiters;
    this.history = new HistoryView(historyRetention);
    this.deliveries = new DeliveriesView(deliveryLimit);
  }

  public AlarmsView alarms() {
    return alarms;
  }

  public TopicsView topics() {
    return topics;
  }

  public HistoryView history() {
    return history;
  }

  public DeliveriesView deliveries() {
    return deliveries;
  }

  public boolean ready() {
    return caughtUp.getCount() == 0;
  }

  /** The error the reader stopped with, or null while it reads. */
  public Throwable failure() {
    ConsumerLoop<String, byte[]> current = loop;
    return current == null ? null : current.failure();
  }

  /** Blocking: assigns the partitions and starts reading; call off the event loop. */
  public void start() {
    Map<String, Object> props =
        ClientSettings.committedReader(
            ClientSettings.tailConsumer(kafka.clientProperties("portico-alarm-views")));
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic :
        List.of(names.alarms(), names.topics(), names.history(), names.deliveries())) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    loop =
        ConsumerLoop.builder("alarm-views", consumer)
            .setUp(
                c -> {
                  // What was committed before start(), then the tail.
                  Replay.toEnds(c, ends, this::applyBatch);
                  caughtUp.countDown();
                })
            .onBatch(this::applyBatch)
            .build()
            .start();
  }

  /** Waits until the views hold everything that was committed when {@link #start()} ran. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void applyBatch(ConsumerRecords<String, byte[]> batch) {
    batch.forEach(this::apply);
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    String topic = record.topic();
    try {
      if (topic.equals(names.alarms())) {
        alarms.apply(record.key(), read(Topics.ALARMS, record));
      } else if (topic.equals(names.topics())) {
        topics.apply(record.key(), read(Topics.NOTIFICATION_TOPICS, record));
      } else if (topic.equals(names.history())) {
        HistoryItem item = read(Topics.ALARM_HISTORY, record);
        if (item != null) {
          history.apply(item, clock.millis());
        }
      } else {
        deliveries.apply(record.key(), read(Topics.NOTIFICATION_DELIVERIES, record));
      }
    } catch (RuntimeException unreadable) {
      LOG.error("Skipping an unreadable record on {}: {}", topic, unreadable.toString());
    }
    String commandId = ProtocolHeaders.get(record.headers(), EventHeaders.COMMAND_ID);
    if (commandId != null) {
      waiters.complete(commandId, outcome(record));
    }
  }

  private static CommandWaiters.Outcome outcome(ConsumerRecord<String, byte[]> record) {
    String error = ProtocolHeaders.get(record.headers(), EventHeaders.COMMAND_ERROR);
    if (error == null) {
      return CommandWaiters.Outcome.APPLIED;
    }
    try {
      var node = Json.MAPPER.readTree(error);
      return new CommandWaiters.Outcome(node.get("status").asInt(), node.get("message").asText());
    } catch (Exception e) {
      return new CommandWaiters.Outcome(500, "Unreadable command outcome");
    }
  }

  private static <T> T read(Topic<T> topic, ConsumerRecord<String, byte[]> record) {
    return topic.decode(record.key(), record.value());
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.close();
    }
  }
}
