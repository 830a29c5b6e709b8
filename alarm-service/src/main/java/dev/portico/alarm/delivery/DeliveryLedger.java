package dev.portico.alarm.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.streams.TopicNames;
import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.Json;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.Delivery;
import dev.portico.contracts.alarms.HistoryItem;
import dev.portico.kit.ClientSettings;
import dev.portico.runtime.KafkaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where delivery outcomes are recorded: each delivery's new state in the deliveries topic (waiting
 * for Kafka's acknowledgement, since the next step relies on it), dead-letter copies, the alarm's
 * history, and the metrics.
 */
final class DeliveryLedger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);

  private final TopicNames names;
  private final Clock clock;
  private final MeterRegistry registry;
  private final KafkaProducer<String, byte[]> producer;

  DeliveryLedger(KafkaSettings kafka, TopicNames names, Clock clock, MeterRegistry registry) {
    this.names = names;
    this.clock = clock;
    this.registry = registry;
    Map<String, Object> p =
        ClientSettings.requestProducer(kafka.clientProperties("portico-alarm-delivery-status"));
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Writes the delivery's new state; returns once Kafka has it. */
  void write(Delivery d) throws ExecutionException, InterruptedException {
    send(Topics.NOTIFICATION_DELIVERIES.named(names.deliveries()), d);
  }

  void deadLetter(Delivery d) throws ExecutionException, InterruptedException {
    send(Topics.NOTIFICATION_DEAD_LETTERS.named(names.deadLetters()), d);
  }

  private void send(BoundTopic<Delivery> topic, Delivery d)
      throws ExecutionException, InterruptedException {
    producer.send(topic.record(d.deliveryId(), d)).get();
  }

  /** For deliveries of alarm actions: the outcome in the alarm's history (best effort). */
  void history(Delivery d, boolean delivered, int attempts, String error) {
    if (d.alarmName() == null) {
      return;
    }
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.put("actionState", delivered ? "Succeeded" : "Failed");
    data.put("notificationResource", d.topicName());
    data.put("subscriptionId", d.subscriptionId());
    data.put("protocol", d.protocol());
    data.put("endpoint", d.endpoint());
    data.put("deliveryId", d.deliveryId());
    data.put("attempts", attempts);
    if (error != null) {
      data.put("error", error);
    }
    String target = d.endpoint() + " (" + d.protocol() + ")";
    String summary =
        delivered
            ? "Delivered notification to " + target
            : "Failed to deliver notification to "
                + target
                + " after "
                + attempts
                + " attempts: "
                + error;
    HistoryItem item =
        new HistoryItem(
            d.alarmName(), null, clock.millis(), HistoryItem.ACTION, summary, Json.toString(data));
    producer.send(
        Topics.ALARM_HISTORY.named(names.history()).record(d.alarmName(), item),
        (meta, e) -> {
          if (e != null) {
            LOG.warn("History of delivery {} not recorded: {}", d.deliveryId(), e.toString());
          }
        });
  }

  /** {@code outcome}: delivered, retried, dead or held. */
  void count(Delivery d, String outcome) {
    Counter.builder("portico_alarm_deliveries_total")
        .description("Delivery attempts by outcome: delivered, retried, dead or held")
        .tags("protocol", d.protocol(), "outcome", outcome)
        .register(registry)
        .increment();
  }

  /** From the transition (or publish) to the endpoint's acceptance. */
  void latency(Delivery d, long acceptedAt) {
    Timer.builder("portico_alarm_delivery_latency")
        .description("From the transition (or publish) to the endpoint's acceptance")
        .tag("protocol", d.protocol())
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, acceptedAt - d.createdTimestamp())));
  }

  void ambiguous() {
    Counter.builder("portico_alarm_deliveries_ambiguous_total")
        .description(
            "Deliveries sent again because an earlier attempt may have been accepted unrecorded")
        .register(registry)
        .increment();
  }

  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
