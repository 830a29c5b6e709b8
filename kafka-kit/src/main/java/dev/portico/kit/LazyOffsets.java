package dev.portico.kit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of {@link TransactionalLoop}'s output-less batches, waiting (at most {@code delay})
 * to commit with a later transaction: a quiet input costs one transaction per delay, not one per
 * poll. Loop thread only.
 */
final class LazyOffsets {
  private final Duration delay;
  private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
  private long sinceNanos;

  LazyOffsets(Duration delay) {
    this.delay = delay;
  }

  /** False when every batch commits at once (no delay). */
  boolean enabled() {
    return !delay.isZero();
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** The pending offset of {@code partition}, or {@code null}. */
  OffsetAndMetadata get(TopicPartition partition) {
    return pending.get(partition);
  }

  /** Keeps a batch's offsets for a later transaction; the delay runs from the oldest one. */
  void add(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (pending.isEmpty()) {
      sinceNanos = System.nanoTime();
    }
    pending.putAll(offsets);
  }

  /** Offsets a transaction commits itself (or of partitions no longer ours) wait no more. */
  void remove(Collection<TopicPartition> partitions) {
    partitions.forEach(pending::remove);
  }

  /** These offsets and {@code offsets} (which win), for a transaction to commit together. */
  Map<TopicPartition, OffsetAndMetadata> with(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>(pending);
    all.putAll(offsets);
    return all;
  }

  /** True when offsets wait and the oldest has waited the whole delay. */
  boolean due() {
    return !pending.isEmpty() && System.nanoTime() - sinceNanos >= delay.toNanos();
  }

  /** How long until {@link #due()} (negative when overdue); {@link Long#MAX_VALUE} if none wait. */
  long nanosUntilDue() {
    return pending.isEmpty() ? Long.MAX_VALUE : sinceNanos + delay.toNanos() - System.nanoTime();
  }

  /**
   * Gives the pending offsets up (an abort): merges each into {@code rewind} as the lower of the
   * two, since their inputs must be read again.
   */
  void giveUpInto(Map<TopicPartition, Long> rewind) {
    pending.forEach((tp, offset) -> rewind.merge(tp, offset.offset(), Math::min));
    pending.clear();
  }

  void clear() {
    pending.clear();
  }
}
