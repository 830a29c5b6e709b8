package dev.portico.edge.plans;

import dev.portico.contracts.BoundTopic;
import dev.portico.contracts.EdgeUsage;
import dev.portico.contracts.Topics;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.ConsumerLoop;
import dev.portico.kit.Replay;
import dev.portico.runtime.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * API-key usage shared by every edge replica through a compacted Kafka topic: each replica counts
 * its own requests per key per UTC day and publishes the cumulative counts every {@code flush}
 * interval (key {@code usage/{key}/{day}/{replica}}); every replica reads all of them. A key's
 * usage is the sum over replicas, so quotas hold for the cluster, and they survive restarts (a
 * replica resumes from its last published counts). The same topic carries replica heartbeats, which
 * give the number of live replicas that token buckets divide their limits by.
 *
 * <p>Accuracy: a replica sees another's requests up to one flush interval (plus consumer lag) late.
 * So that the replicas cannot together overrun a quota in that time, each may admit, between two
 * flushes, at most its share (1 / live replicas) of what remained at the last flush (see {@code
 * ThrottleGuard}).
 */
public final class UsageLedger implements KeyUsage, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
  static final String ADJUST = "adjust";

  private final String instance;
  private final TopicPartition partition;
  private final BoundTopic<EdgeUsage> usage;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Clock clock;
  private final Duration flush;
  private final Duration liveness;

  /** key id -> day -> source (replica id or "adjust") -> cumulative count. */
  private final Map<String, Map<LocalDate, Map<String, Long>>> counts = new ConcurrentHashMap<>();

  /** This replica's own counters, authoritative: key id + "/" + day -> count. */
  private final Map<String, AtomicLong> own = new ConcurrentHashMap<>();

  private final Map<String, Long> published = new ConcurrentHashMap<>();
  private final Map<String, Long> heartbeats = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final ConsumerLoop<String, byte[]> tail;

  public UsageLedger(
      KafkaSettings kafka,
      String topic,
      String instance,
      Clock clock,
      Duration flush,
      Duration liveness) {
    this.instance = instance;
    this.partition = new TopicPartition(topic, 0);
    this.usage = Topics.EDGE_USAGE.named(topic);
    this.clock = clock;
    this.flush = flush;
    this.liveness = liveness;
    // A flush writes one record per changed counter at once: batch them.
    Map<String, Object> producerProps =
        ClientSettings.fanOutProducer(kafka.clientProperties("portico-edge-usage-writer"));
    this.producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    Map<String, Object> consumerProps =
        ClientSettings.tailConsumer(kafka.clientProperties("portico-edge-usage-reader"));
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "portico-edge-usage-flush");
              t.setDaemon(true);
              return t;
            });
    this.tail =
        ConsumerLoop.builder("portico-edge-usage", consumer)
            .onBatch(batch -> batch.forEach(r -> apply(r, false)))
            .build();
  }

  /** Blocking: reads the topic to its end (restoring this replica's counters), then tails it. */
  public void start() {
    Replay.fromBeginning(consumer, List.of(partition), batch -> batch.forEach(r -> apply(r, true)));
    heartbeat();
    tail.start();
    long ms = flush.toMillis();
    timer.scheduleAtFixedRate(this::flushSafely, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Counts one request of {@code keyId} now. */
  public void record(String keyId) {
    LocalDate day = today();
    own.computeIfAbsent(keyId + "/" + day, k -> new AtomicLong()).incrementAndGet();
  }

  /** Requests of {@code keyId} on {@code day}, all replicas (as far as this one knows). */
  public long used(String keyId, LocalDate day) {
    long total = 0;
    Map<String, Long> sources = counts.getOrDefault(keyId, Map.of()).getOrDefault(day, Map.of());
    for (Map.Entry<String, Long> e : sources.entrySet()) {
      if (!e.getKey().equals(instance)) {
        total += e.getValue();
      }
    }
    AtomicLong mine = own.get(keyId + "/" + day);
    return total + (mine == null ? 0 : mine.get());
  }

  /** This replica's requests of {@code keyId} on {@code day} that the others cannot see yet. */
  public long unflushed(String keyId, LocalDate day) {
    String key = keyId + "/" + day;
    AtomicLong mine = own.get(key);
    return mine == null ? 0 : mine.get() - published.getOrDefault(key, 0L);
  }

  /** Publishes this replica's counts now rather than at the next interval. */
  public void flushSoon() {
    try {
      timer.execute(this::flushSafely);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // closing: the final flush in close() publishes them
    }
  }

  /** Requests of {@code keyId} from {@code from} to {@code to}, both inclusive. */
  public long used(String keyId, LocalDate from, LocalDate to) {
    long total = 0;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      total += used(keyId, d);
    }
    return total;
  }

  /**
   * Changes {@code keyId}'s usage of {@code day} by {@code delta} (negative grants more requests),
   * and waits until it is written.
   */
  public void adjust(String keyId, LocalDate day, long delta) throws Exception {
    long current =
        counts.getOrDefault(keyId, Map.of()).getOrDefault(day, Map.of()).getOrDefault(ADJUST, 0L);
    long value = current + delta;
    send("usage/" + keyId + "/" + day + "/" + ADJUST, new EdgeUsage.Count(value))
        .get(10, TimeUnit.SECONDS);
    counts
        .computeIfAbsent(keyId, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(day, d -> new ConcurrentHashMap<>())
        .put(ADJUST, value);
  }

  /** This replica's share of every throttle: 1 / live replicas (those heard from lately). */
  public double share() {
    long now = clock.millis();
    long live =
        heartbeats.entrySet().stream()
            .filter(e -> e.getKey().equals(instance) || now - e.getValue() <= liveness.toMillis())
            .count();
    return 1.0 / Math.max(1, live);
  }

  /** Whether the replica {@code replica} has been heard from lately (this one always is). */
  public boolean isLive(String replica) {
    if (replica.equals(instance)) {
      return true;
    }
    Long last = heartbeats.get(replica);
    return last != null && clock.millis() - last <= liveness.toMillis();
  }

  /**
   * Whether this replica has the lowest id among the live ones: it alone spends the last few
   * requests of a quota that cannot be split among the replicas any more.
   */
  public boolean isLeader() {
    long now = clock.millis();
    return heartbeats.entrySet().stream()
        .filter(e -> e.getKey().equals(instance) || now - e.getValue() <= liveness.toMillis())
        .map(Map.Entry::getKey)
        .min(String::compareTo)
        .map(instance::equals)
        .orElse(true);
  }

  public LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private void flushSafely() {
    try {
      flushNow();
      // Flushes come every 200 ms by default; liveness needs a heartbeat only a few times per
      // liveness window, and every record wakes every replica's reader (an idle suite sent 5/s).
      if (clock.millis() - heartbeats.getOrDefault(instance, 0L) >= heartbeatEvery()) {
        heartbeat();
      }
    } catch (RuntimeException e) {
      LOG.warn("Usage not published: {}", e.getMessage());
    }
  }

  /** Publishes every own counter that changed since the last flush. */
  void flushNow() {
    for (Map.Entry<String, AtomicLong> e : own.entrySet()) {
      long value = e.getValue().get();
      Long last = published.get(e.getKey());
      if (last == null || last != value) {
        send("usage/" + e.getKey() + "/" + instance, new EdgeUsage.Count(value));
        published.put(e.getKey(), value);
      }
    }
  }

  /** A fifth of the liveness window: a replica is declared gone only after five missed beats. */
  long heartbeatEvery() {
    return liveness.toMillis() / 5;
  }

  private void heartbeat() {
    heartbeats.put(instance, clock.millis());
    send("replica/" + instance, new EdgeUsage.Heartbeat(clock.millis()));
  }

  private java.util.concurrent.Future<?> send(String key, EdgeUsage value) {
    return producer.send(usage.record(0, null, key, value, UUID.randomUUID().toString()));
  }

  private void apply(ConsumerRecord<String, byte[]> record, boolean restoring) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    try {
      EdgeUsage value = usage.read(record);
      String[] parts = record.key().split("/");
      if (value instanceof EdgeUsage.Heartbeat heartbeat && parts.length == 2) {
        heartbeats.merge(parts[1], heartbeat.at(), Math::max);
      } else if (value instanceof EdgeUsage.Count usageCount && parts.length == 4) {
        String keyId = parts[1];
        LocalDate day = LocalDate.parse(parts[2]);
        String source = parts[3];
        long count = usageCount.count();
        counts
            .computeIfAbsent(keyId, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(day, d -> new ConcurrentHashMap<>())
            .merge(source, count, source.equals(ADJUST) ? (a, b) -> b : Math::max);
        if (restoring && source.equals(instance)) {
          String ownKey = keyId + "/" + day;
          own.computeIfAbsent(ownKey, k -> new AtomicLong()).accumulateAndGet(count, Math::max);
          published.put(ownKey, own.get(ownKey).get());
        }
      }
    } catch (Exception e) {
      LOG.warn("Skipping unreadable usage record {}", record.key());
    }
  }

  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
      flushNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("Final usage flush failed: {}", e.getMessage());
    }
    tail.close();
    producer.close(Duration.ofSeconds(5));
  }
}
