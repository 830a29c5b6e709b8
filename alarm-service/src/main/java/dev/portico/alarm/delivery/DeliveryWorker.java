package dev.portico.alarm.delivery;

import dev.portico.alarm.streams.TopicNames;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.Delivery;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.runtime.KafkaSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox. The deliveries topic is compacted and keyed by delivery id, and each record is
 * the delivery's whole state, so it is both the queue and the ledger: replicas share its partitions
 * as a consumer group; a replica that gets a partition reads it from the beginning, learns the
 * latest state of every delivery, and carries on with the unfinished ones (pending, retrying, or
 * interrupted mid-send). Nothing is committed as consumer offsets.
 *
 * <p>An attempt first records SENDING, then sends, then records the outcome (DELIVERED, RETRYING
 * with the next attempt's time, DEAD plus a dead-letter copy, or HELD when no SMTP server is
 * configured). A delivery recorded DELIVERED is never sent again, whoever reads it. The one
 * duplicate window: the process dies after the server accepted the message and before the outcome
 * reached Kafka (a few milliseconds); the next owner finds SENDING, cannot know, and sends again
 * (at least once, with the same Message-ID). Counted in {@code
 * portico_alarm_deliveries_ambiguous_total}.
 *
 * <p>Revocation waits for the partition's sends in flight, so a graceful hand-over never
 * duplicates.
 */
public final class DeliveryWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

  private final KafkaSettings kafka;
  private final TopicNames names;
  private final String groupId;
  private final String instanceId;
  private final RetryPolicy policy;
  private final Clock clock;
  private final DeliveryLedger ledger;
  private final DeliveryAttempt attempts;
  private final ScheduledExecutorService timer;
  private final ExecutorService senders;
  private final Map<TopicPartition, PartitionState> owned = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private KafkaConsumer<String, byte[]> consumer;
  private volatile ConsumerLoop<String, byte[]> loop;
  private volatile boolean running = true;

  /** What this replica knows about one partition it owns. */
  private static final class PartitionState {
    final Map<String, Delivery> latest = new ConcurrentHashMap<>();
    final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();
    final long loadEnd;
    volatile boolean loaded;
    volatile boolean revoked;

    PartitionState(long loadEnd) {
      this.loadEnd = loadEnd;
    }
  }

  /**
   * Blocking (creates a Kafka producer); call off the event loop.
   *
   * @param instanceId this replica's static membership in the delivery group (empty: dynamic)
   * @param email the SMTP transport, or null in local mode (email deliveries are then HELD)
   */
  public DeliveryWorker(
      KafkaSettings kafka,
      TopicNames names,
      String groupId,
      String instanceId,
      Transport email,
      Transport http,
      RetryPolicy policy,
      int threads,
      Clock clock,
      MeterRegistry registry) {
    this.kafka = kafka;
    this.names = names;
    this.groupId = groupId;
    this.instanceId = instanceId;
    this.policy = policy;
    this.clock = clock;
    this.ledger = new DeliveryLedger(kafka, names, clock, registry);
    this.attempts = new DeliveryAttempt(email, http, ledger, policy, clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "alarm-delivery-timer"));
    AtomicInteger n = new AtomicInteger();
    this.senders =
        Executors.newFixedThreadPool(
            threads, r -> daemon(r, "alarm-delivery-" + n.incrementAndGet()));
    Gauge.builder("portico_alarm_deliveries_waiting", waiting, Number::doubleValue)
        .description("Deliveries this replica owns that wait for their next attempt")
        .register(registry);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Blocking: creates the consumer and starts polling; call off the event loop. */
  public void start() {
    Map<String, Object> c =
        ClientSettings.committedReader(
            ClientSettings.tailConsumer(kafka.clientProperties("portico-alarm-delivery")));
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    ClientSettings.staticMember(c, instanceId);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    loop =
        ConsumerLoop.builder("alarm-delivery-poll", consumer)
            .setUp(polling -> polling.subscribe(List.of(names.deliveries()), new Rebalance()))
            .onBatch(batch -> batch.forEach(this::onRecord))
            // A partition has loaded once the position passed its end, which a poll that only
            // skipped transaction markers also shows: look after every poll, and poll briefly.
            .afterPoll(this::finishLoading)
            .pollTimeout(Duration.ofMillis(200))
            .closeTimeout(Duration.ofSeconds(10))
            .build()
            .start();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      consumer.seekToBeginning(partitions);
      for (TopicPartition tp : partitions) {
        owned.put(tp, new PartitionState(ends.getOrDefault(tp, 0L)));
      }
      LOG.info("Delivering for {}", partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      handOver(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      handOver(partitions);
    }
  }

  /** Stops scheduling for the partitions and waits for their sends in flight to be recorded. */
  private void handOver(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    for (TopicPartition tp : partitions) {
      PartitionState state = owned.remove(tp);
      if (state == null) {
        continue;
      }
      state.revoked = true;
      waiting.addAndGet(-state.scheduled.size());
      while (state.inFlight.get() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5); // the sends finish on their own threads; nothing to be notified by
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    ledger.flush();
  }

  private void onRecord(ConsumerRecord<String, byte[]> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    PartitionState state = owned.get(tp);
    if (state == null) {
      return;
    }
    Delivery delivery;
    try {
      delivery = Topics.NOTIFICATION_DELIVERIES.decode(record.key(), record.value());
    } catch (RuntimeException unreadable) {
      LOG.error("Skipping an unreadable delivery {}: {}", record.key(), unreadable.toString());
      delivery = null;
    }
    if (!state.loaded) {
      if (delivery == null) {
        state.latest.remove(record.key());
      } else {
        state.latest.put(record.key(), delivery);
      }
      return;
    }
    // Once loaded, our own status records come back here and change nothing; only new outbox
    // entries matter.
    if (delivery != null
        && Delivery.PENDING.equals(delivery.status())
        && !state.latest.containsKey(delivery.deliveryId())) {
      state.latest.put(delivery.deliveryId(), delivery);
      schedule(tp, state, delivery.deliveryId(), 0);
    }
  }

  /**
   * A partition is loaded once the consumer's position reaches the end it had when assigned. The
   * position, not the last record's offset: under read_committed the last offsets are often
   * transaction markers, which are never returned as records.
   */
  private void finishLoading() {
    for (var entry : owned.entrySet()) {
      PartitionState state = entry.getValue();
      if (!state.loaded && consumer.position(entry.getKey()) >= state.loadEnd) {
        state.loaded = true;
        resume(entry.getKey(), state);
      }
    }
  }

  /** After loading a partition: carry on with every delivery not finished yet. */
  private void resume(TopicPartition tp, PartitionState state) {
    long now = clock.millis();
    for (Delivery d : state.latest.values()) {
      if (d.isFinal()) {
        continue;
      }
      if (Delivery.SENDING.equals(d.status())) {
        LOG.warn(
            "Delivery {} was interrupted mid-send; sending again (it may arrive twice)",
            d.deliveryId());
        ledger.ambiguous();
      }
      long delay = d.nextAttemptAt() == null ? 0 : Math.max(0, d.nextAttemptAt() - now);
      schedule(tp, state, d.deliveryId(), delay);
    }
  }

  private void schedule(TopicPartition tp, PartitionState state, String id, long delayMillis) {
    if (!state.scheduled.add(id)) {
      return;
    }
    waiting.incrementAndGet();
    timer.schedule(
        () -> senders.execute(() -> attempt(tp, state, id)), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void attempt(TopicPartition tp, PartitionState state, String id) {
    state.scheduled.remove(id);
    // In flight before looking at revoked: handOver sets revoked, then waits for inFlight to be 0,
    // so either it waits for this attempt or this attempt sees revoked. Checked the other way
    // round, an attempt could pass the check, handOver find nothing in flight and release the
    // partition, and then both this replica and the next owner send the delivery.
    state.inFlight.incrementAndGet();
    try {
      if (state.revoked || !running) {
        return;
      }
      waiting.decrementAndGet();
      Delivery d = state.latest.get(id);
      if (d == null || d.isFinal()) {
        return;
      }
      long retryIn = attempts.run(d, recorded -> state.latest.put(recorded.deliveryId(), recorded));
      if (retryIn != DeliveryAttempt.FINISHED) {
        schedule(tp, state, id, retryIn);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Kafka did not take a state record, and nothing was sent after it: try again later.
      LOG.warn(
          "Delivery {} could not record its state ({}); retrying", id, e.getCause().toString());
      schedule(tp, state, id, policy.minBackoff().toMillis());
    } finally {
      state.inFlight.decrementAndGet();
    }
  }

  /** The error the poll loop stopped with, or null while it polls. */
  public Throwable failure() {
    ConsumerLoop<String, byte[]> current = loop;
    return current == null ? null : current.failure();
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) {
      loop.close();
    }
    timer.shutdownNow();
    senders.shutdown();
    try {
      senders.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ledger.close();
  }
}
