package dev.portico.kit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions up to given end offsets: how a replica restores shared state (configuration,
 * rules, views, a state store's changelog) before it serves, and how a bounded range is read.
 *
 * <p>Progress is judged by the consumer's position, not by the offsets of the records seen: under
 * {@code read_committed} the last offsets of a transactional topic are often transaction markers,
 * which are never returned as records. Polls are short (at most {@link #POLL}) because a poll that
 * only moves the position past markers returns nothing and would otherwise wait out its timeout;
 * these reads are bounded, never idle loops.
 */
public final class Replay {
  /** The longest a single poll of a replay waits. */
  static final Duration POLL = Duration.ofMillis(200);

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  /** What a replay hands each non-empty batch to; returns false to stop reading early. */
  @FunctionalInterface
  public interface Sink<K, V> {
    boolean accept(ConsumerRecords<K, V> batch) throws Exception;
  }

  private Replay() {}

  /**
   * Assigns {@code partitions} to {@code consumer}, reads them from their beginning to the ends
   * they have now, handing every batch to {@code handler}, and returns those ends; the consumer is
   * then positioned to tail them.
   */
  public static <K, V> Map<TopicPartition, Long> fromBeginning(
      Consumer<K, V> consumer,
      Collection<TopicPartition> partitions,
      ConsumerLoop.BatchHandler<K, V> handler) {
    List<TopicPartition> all = List.copyOf(partitions);
    consumer.assign(all);
    consumer.seekToBeginning(all);
    Map<TopicPartition, Long> ends = consumer.endOffsets(all, METADATA_TIMEOUT);
    toEnds(consumer, ends, handler);
    return ends;
  }

  /** Polls until every partition of {@code ends} (assigned already) has reached its end. */
  public static <K, V> void toEnds(
      Consumer<K, V> consumer,
      Map<TopicPartition, Long> ends,
      ConsumerLoop.BatchHandler<K, V> handler) {
    read(
        consumer,
        ends,
        null,
        batch -> {
          handler.onBatch(batch);
          return true;
        });
  }

  /**
   * Polls until every partition of {@code ends} (assigned and positioned already) has reached its
   * end, {@code sink} returns false, or {@code timeout} (null: none) has passed.
   *
   * @return false only when the time ran out first
   */
  public static <K, V> boolean read(
      Consumer<K, V> consumer, Map<TopicPartition, Long> ends, Duration timeout, Sink<K, V> sink) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> pending = new HashMap<>(ends);
    while (true) {
      pending.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
      if (pending.isEmpty()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (timeout != null && left <= 0) {
        return false;
      }
      Duration poll = timeout == null ? POLL : Duration.ofNanos(Math.min(left, POLL.toNanos()));
      ConsumerRecords<K, V> batch = consumer.poll(poll);
      if (!batch.isEmpty() && !accept(sink, batch)) {
        return true;
      }
    }
  }

  private static <K, V> boolean accept(Sink<K, V> sink, ConsumerRecords<K, V> batch) {
    try {
      return sink.accept(batch);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Replay handler failed: " + e.getMessage(), e);
    }
  }
}
