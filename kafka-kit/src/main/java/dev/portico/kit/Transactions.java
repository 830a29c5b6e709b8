package dev.portico.kit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of one {@link TransactionalLoop}: begin, commit (records before offsets, an
 * unknown outcome retried), and abort with the consumer rewound to the first input not committed,
 * after a growing back-off. Loop thread only; the counters are read from any thread.
 */
final class Transactions {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalLoop.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final String name;
  private final Supplier<Producer<String, byte[]>> newProducer;
  private Producer<String, byte[]> producer;
  private final Consumer<String, byte[]> consumer;
  private final TransactionalLoop.StateHooks state;
  private final LongSupplier clock;
  private final LazyOffsets lazyOffsets;
  private final BooleanSupplier closing;
  private final LongConsumer pause;
  final LongAdder transactions = new LongAdder();
  final LongAdder aborts = new LongAdder();
  final LongAdder commitNanos = new LongAdder();
  private long lastCommitNanos;
  private long backoffMs;

  /**
   * @param newProducer makes a replacement for a producer left unusable, or {@code null}
   * @param state the loop's state hooks, or {@code null}
   * @param pause sleeps the given milliseconds unless the loop is closing
   */
  Transactions(
      String name,
      Producer<String, byte[]> producer,
      Supplier<Producer<String, byte[]>> newProducer,
      Consumer<String, byte[]> consumer,
      TransactionalLoop.StateHooks state,
      LongSupplier clock,
      LazyOffsets lazyOffsets,
      BooleanSupplier closing,
      LongConsumer pause) {
    this.name = name;
    this.producer = producer;
    this.newProducer = newProducer;
    this.consumer = consumer;
    this.state = state;
    this.clock = clock;
    this.lazyOffsets = lazyOffsets;
    this.closing = closing;
    this.pause = pause;
  }

  /** The producer transactions run on now. */
  Producer<String, byte[]> producer() {
    return producer;
  }

  /**
   * Registers the transactional id (which also fences a previous incarnation with the same id and
   * aborts its open transaction at once), retrying while Kafka does not answer.
   */
  void initTransactions() {
    while (!closing.getAsBoolean()) {
      try {
        producer.initTransactions();
        return;
      } catch (TimeoutException kafkaUnreachable) {
        LOG.warn("{}: Kafka did not answer initTransactions in time; retrying", name);
      }
    }
  }

  /** {@link System#nanoTime()} of the last commit that reached Kafka. */
  long lastCommitNanos() {
    return lastCommitNanos;
  }

  OpenTransaction begin() {
    producer.beginTransaction();
    return new OpenTransaction(name, producer, clock.getAsLong());
  }

  /** Adds the offsets (and any lazily pending ones) and commits. */
  void commit(OpenTransaction tx, Map<TopicPartition, OffsetAndMetadata> offsets) {
    long started = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> all = lazyOffsets.with(offsets);
    if (!tx.empty()) {
      producer.flush(); // produce before offsets: see TransactionalLoop's class comment
    }
    if (!all.isEmpty()) {
      producer.sendOffsetsToTransaction(all, consumer.groupMetadata());
    }
    commitWithRetry();
    lastCommitNanos = System.nanoTime();
    commitNanos.add(lastCommitNanos - started);
    lazyOffsets.clear();
    transactions.increment();
    afterCommit();
  }

  /** Commits a transaction that sent nothing and adds no offsets: a local no-op, no request. */
  void commitEmpty() {
    producer.commitTransaction();
    afterCommit();
  }

  /** Commits the lazily pending offsets in a transaction of their own; aborts on a Kafka error. */
  void commitLazyOffsets() {
    try {
      commit(begin(), Map.of());
    } catch (KafkaException e) {
      abortAndRewind(e, Map.of());
    }
  }

  /** A transaction committed: the next failure backs off from the start again. */
  void succeeded() {
    backoffMs = 0;
  }

  private void afterCommit() {
    if (state != null) {
      state.afterCommit();
    }
  }

  private void commitWithRetry() {
    while (true) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException outcomeUnknown) {
        // The commit may still complete; Kafka allows only retrying it now, not aborting.
        if (closing.getAsBoolean()) {
          throw new IllegalStateException(
              name + ": closing with a commit whose outcome is unknown", outcomeUnknown);
        }
        LOG.warn("{}: Kafka did not confirm the commit in time; retrying it", name);
      }
    }
  }

  /**
   * Aborts the open transaction, lets the state forget it, rewinds every partition to {@code
   * resumeAt} (or to its lazily pending offset, if lower) and backs off; rethrows a fatal error.
   */
  void abortAndRewind(KafkaException failure, Map<TopicPartition, Long> resumeAt) {
    if (TransactionalLoop.isFatal(failure)) {
      renewProducerOrThrow(failure);
    } else {
      try {
        producer.abortTransaction();
      } catch (KafkaException | IllegalStateException abortFailed) {
        abortFailed.addSuppressed(failure);
        renewProducerOrThrow(abortFailed);
      }
    }
    aborts.increment();
    if (state != null) {
      state.afterAbort();
    }
    // Offsets left pending by earlier output-less batches are given up as well: their inputs are
    // read again (they produce nothing again).
    Map<TopicPartition, Long> rewind = new HashMap<>(resumeAt);
    lazyOffsets.giveUpInto(rewind);
    Set<TopicPartition> assigned = consumer.assignment();
    rewind.forEach(
        (tp, offset) -> {
          if (assigned.contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
    backoffMs = backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    LOG.error(
        "{}: transaction aborted on a Kafka error; retrying from {} in {} ms",
        name,
        rewind,
        backoffMs,
        failure);
    pause.accept(backoffMs);
  }

  /**
   * The producer can neither commit nor abort. When the coordinator ended its transaction (a
   * timeout abort bumps the epoch: the commit then fails as fenced or in an invalid state), a new
   * producer with the same transactional id takes over; {@code initTransactions} completes the old
   * transaction. Authorization and version errors cannot be cured that way and are rethrown, as is
   * everything when the loop has no way to make a producer.
   */
  private void renewProducerOrThrow(RuntimeException unusable) {
    if (newProducer == null
        || unusable instanceof AuthorizationException
        || unusable instanceof UnsupportedVersionException
        || closing.getAsBoolean()) {
      throw unusable;
    }
    LOG.warn(
        "{}: the producer cannot go on ({}); the transaction coordinator probably ended its"
            + " transaction (timed out during a broker fail-over); continuing with a new producer",
        name,
        unusable.toString());
    try {
      producer.close(Duration.ZERO);
    } catch (KafkaException closeFailed) {
      LOG.debug("{}: closing the old producer: {}", name, closeFailed.toString());
    }
    producer = newProducer.get();
    initTransactions();
  }
}
