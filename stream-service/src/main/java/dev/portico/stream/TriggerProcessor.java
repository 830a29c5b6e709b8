package dev.portico.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.Json;
import dev.portico.contracts.Notification;
import dev.portico.contracts.Topics;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.TransactionalLoop;
import dev.portico.runtime.KafkaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the triggers over the change stream on kafka-kit's exactly-once loop: a consumer group
 * member (replicas share the partitions) that, per polled batch, publishes the notifications of
 * every matching rule and commits the batch's offsets in the same Kafka transaction (a batch that
 * matched nothing commits its offsets with a later one). So each change record's notifications are
 * written exactly once to {@code notifications.messages}, across crashes, restarts and rebalances
 * (a batch is either wholly published and committed, or retried whole). The message id is derived
 * from the rule and the record's {@code eventID}, so even a record processed twice (never expected)
 * yields the same message, which alarm-service's delivery ids (message id + subscription) turn into
 * the same deliveries.
 *
 * <p>A new group starts at the end of the stream: triggers act on changes made from now on, not on
 * the last 24 hours (a welcome email to every customer of yesterday would be a surprise).
 */
final class TriggerProcessor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerProcessor.class);

  /**
   * A batch that matched no rule commits its offsets lazily, with a later transaction or after this
   * long: a busy change stream with few matches costs one transaction a second, not one per poll. A
   * crash re-reads at most this much input, which published nothing the first time.
   */
  static final Duration OFFSETS_ONLY_DELAY = Duration.ofSeconds(1);

  private final BoundTopic<Notification> notifications;
  private final String tablesTopic;
  private final TriggerRegistry registry;
  private final Clock clock;
  private final Counter published;
  private final Counter retried;
  private final PinLatestOnAssignment pinning;
  private final TransactionalLoop loop;
  private int sentInTransaction;

  TriggerProcessor(
      KafkaSettings kafka,
      String changesTopic,
      String tablesTopic,
      String notificationsTopic,
      TriggerRegistry registry,
      String instanceId,
      Clock clock,
      MeterRegistry meters) {
    this.notifications = Topics.NOTIFICATION_MESSAGES.named(notificationsTopic);
    this.tablesTopic = tablesTopic;
    this.published =
        Counter.builder("portico_stream_trigger_notifications")
            .description("Notifications committed by triggers")
            .register(meters);
    this.retried =
        Counter.builder("portico_stream_trigger_batch_retries")
            .description("Trigger batches aborted and read again")
            .register(meters);
    this.registry = registry;
    this.clock = clock;
    Map<String, Object> c =
        ClientSettings.staticMember(
            ClientSettings.transactionalConsumer(
                ClientSettings.tailConsumer(kafka.clientProperties("portico-stream-triggers")),
                kafka.topicPrefix() + "stream-service-triggers"),
            instanceId);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    // Fencing of a stale member comes from the group metadata sent with the offsets (KIP-447),
    // so the transactional id only has to be unique per instance. A stable one also aborts, at
    // once, the transaction a crashed incarnation left open; a random one leaves it to block
    // read_committed readers of the notifications until its timeout (60 s).
    String transactionalSuffix =
        instanceId == null || instanceId.isBlank() ? UUID.randomUUID().toString() : instanceId;
    Map<String, Object> p =
        ClientSettings.transactionalProducer(
            kafka.clientProperties("portico-stream-triggers-publisher"),
            kafka.topicPrefix() + "stream-service-triggers-" + transactionalSuffix);
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    pinning = new PinLatestOnAssignment(consumer);
    loop =
        TransactionalLoop.builder("stream-triggers", consumer, producer)
            .topics(List.of(changesTopic, tablesTopic))
            .processor(this::process)
            .state(new Counts())
            .offsetsOnlyDelay(OFFSETS_ONLY_DELAY)
            // A transaction the coordinator aborted during a broker fail-over: go on anew.
            .renewProducerWith(
                () -> new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()))
            .build()
            .start();
  }

  /** True once the group gave this member its partitions (and their start positions are fixed). */
  boolean ready() {
    return loop.assigned();
  }

  /** The error the loop stopped with, or null while it runs. */
  Throwable failure() {
    return loop.failure();
  }

  private void process(ConsumerRecord<String, byte[]> record, TransactionalLoop.Transaction tx) {
    boolean teamTable = record.topic().equals(tablesTopic);
    String table = teamTable ? TeamTableChanges.table(record.key()) : TriggerRule.CUSTOMERS;
    JsonNode change = readChange(record);
    if (change == null || table == null) {
      return;
    }
    if (teamTable) {
      change = TeamTableChanges.plain(change);
      if (change == null) {
        LOG.warn(
            "Skipping a team table's change record without typed images at offset {}",
            record.offset());
        return;
      }
    }
    for (TriggerRule rule : registry.all()) {
      if (rule.table().equals(table) && rule.matches(change)) {
        publish(rule, change, tx);
        sentInTransaction++;
      }
    }
  }

  /** Pins new partitions' start, and counts notifications once their transaction committed. */
  private final class Counts implements TransactionalLoop.StateHooks {
    @Override
    public void onAssigned(Collection<TopicPartition> partitions) {
      pinning.onPartitionsAssigned(partitions);
    }

    @Override
    public void afterCommit() {
      published.increment(sentInTransaction);
      sentInTransaction = 0;
    }

    @Override
    public void afterAbort() {
      // Nothing of the batch counts: the loop reads it again from the committed offsets.
      retried.increment();
      sentInTransaction = 0;
    }
  }

  private static JsonNode readChange(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      // A tree, not the registry's StreamRecord: rules and templates address the images' JSON.
      return Json.MAPPER.readTree(record.value());
    } catch (Exception e) {
      LOG.warn("Skipping an unreadable change record at offset {}", record.offset());
      return null;
    }
  }

  private void publish(TriggerRule rule, JsonNode change, TransactionalLoop.Transaction tx) {
    String eventId = change.path("eventID").asText();
    String messageId =
        UUID.nameUUIDFromBytes(
                ("trigger/" + rule.name() + "/" + eventId).getBytes(StandardCharsets.UTF_8))
            .toString();
    String body = TriggerRule.render(rule.body(), change);
    Notification notification =
        new Notification(
            messageId,
            rule.topic(),
            subject(TriggerRule.render(rule.subject(), change)),
            body.isEmpty() ? "(" + rule.name() + ": empty message)" : body,
            null,
            null,
            clock.millis());
    tx.send(notifications.record(rule.topic(), notification, messageId));
  }

  /** alarm-service's subject rule: under 100 characters, no line breaks or control characters. */
  static String subject(String rendered) {
    if (rendered == null) {
      return null;
    }
    String clean = rendered.replaceAll("\\p{Cntrl}", " ").strip();
    if (clean.isEmpty()) {
      return null;
    }
    return clean.length() <= 99 ? clean : clean.substring(0, 99);
  }

  @Override
  public void close() {
    loop.close();
  }
}
