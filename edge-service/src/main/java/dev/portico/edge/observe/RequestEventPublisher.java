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
import java.util.ArrayList;
import java.util.List;
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

  /**
   * How long the sender lets events gather between sends. The producer lingers 100 ms anyway; at
   * 20,000 requests a second 10 ms is 200 events, far below the queue's default capacity.
   */
  private static final long GATHER_MS = 10;

  private static final int MAX_BATCH = 1_024;

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
   * nothing to send, so an idle edge does not wake this thread at all. Under load it sends what
   * queued, then lets events gather for {@link #GATHER_MS} before looking again: while it sleeps,
   * an offer from the data plane finds no waiting thread to wake, so the event loops do not pay a
   * thread wake-up (a system call) per request, and the producer batches them anyway.
   */
  private void drain() {
    List<RequestEvent> batch = new ArrayList<>(MAX_BATCH);
    try {
      while (running) {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        batch.forEach(this::send);
        batch.clear();
        Thread.sleep(GATHER_MS);
      }
    } catch (InterruptedException closing) {
      // close() wakes the thread from take() or sleep(); what is queued is sent below.
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
