package dev.portico.edge.observe;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.Topics;
import dev.portico.kit.ClientSettings;
import dev.portico.runtime.KafkaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one {@link RequestEvent} per request to the gateway requests topic, off the request
 * path: {@link #publish} only offers to a bounded queue and never blocks; a sender thread drains it
 * into a batching producer. When Kafka is down the queue fills and further events are dropped and
 * counted ({@code portico_edge_request_events_dropped_total}); the requests themselves never fail
 * because their events cannot be written.
 */
public final class RequestEventPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestEventPublisher.class);

  private final BoundTopic<RequestEvent> topic;
  private final BlockingQueue<RequestEvent> queue;
  private final KafkaProducer<String, byte[]> producer;
  private final Counter dropped;
  private final Counter failed;
  private final Thread sender;
  private volatile boolean running = true;

  public RequestEventPublisher(
      KafkaSettings kafka, String topic, int capacity, MeterRegistry registry) {
    this.topic = Topics.GATEWAY_REQUESTS.named(topic);
    this.queue = new ArrayBlockingQueue<>(capacity);
    // Throughput over latency: metrics are per period, a tenth of a second of batching costs
    // nothing and saves the broker most of its requests.
    Map<String, Object> props =
        ClientSettings.eventProducer(kafka.clientProperties("portico-edge-request-events"));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.dropped =
        Counter.builder("portico.edge.request.events.dropped")
            .description("Request events dropped because the queue to Kafka was full")
            .register(registry);
    this.failed =
        Counter.builder("portico.edge.request.events.failed")
            .description("Request events Kafka did not accept")
            .register(registry);
    Gauge.builder("portico.edge.request.events.queued", queue, BlockingQueue::size)
        .description("Request events waiting in the queue to Kafka")
        .register(registry);
    this.sender = new Thread(this::drain, "portico-edge-request-events");
    sender.setDaemon(true);
    sender.start();
  }

  /** Never blocks: queues the event, or drops and counts it when the queue is full. */
  public void publish(RequestEvent event) {
    if (!queue.offer(event)) {
      dropped.increment();
    }
  }

  /**
   * Sends until closed, then sends what is still queued. Blocks in {@code take()} while there is
   * nothing to send, so an idle edge does not wake this thread at all.
   */
  private void drain() {
    try {
      while (running) {
        send(queue.take());
      }
    } catch (InterruptedException closing) {
      // close() wakes the thread from take(); what is queued is sent below.
    }
    Thread.interrupted(); // the producer must not see the close as an interrupt of its sends
    for (RequestEvent event = queue.poll(); event != null; event = queue.poll()) {
      send(event);
    }
  }

  private void send(RequestEvent event) {
    ProducerRecord<String, byte[]> record = topic.record(event.api(), event, event.requestId());
    try {
      producer.send(record, this::countFailure);
    } catch (InterruptException closing) {
      // close() woke the sender while the producer waited (metadata, buffer space): the loop sees
      // running == false anyway; this event is sent again, uninterrupted.
      Thread.interrupted();
      sendOrCount(record);
    } catch (RuntimeException e) {
      countUnsent(e);
    }
  }

  private void sendOrCount(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record, this::countFailure);
    } catch (RuntimeException e) {
      countUnsent(e);
    }
  }

  private void countFailure(RecordMetadata metadata, Exception error) {
    if (error != null) {
      failed.increment();
    }
  }

  private void countUnsent(RuntimeException e) {
    // Kafka unreachable for longer than max.block.ms: this event is lost, the next may not be.
    failed.increment();
    LOG.debug("Request event not sent: {}", e.getMessage());
  }

  @Override
  public void close() {
    running = false;
    sender.interrupt();
    try {
      sender.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
