package dev.portico.kit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once consume-transform-produce loop, shared by the function SDK and the services.
 * What a batch of input records produces (records, state changes) and the consumer offsets past
 * them commit in one Kafka transaction, so each input is either wholly processed or not at all.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li><b>Group commit.</b> Every poll's batch is one transaction (split only if it stays open
 *       longer than {@code maxTransactionTime}): under load a transaction carries every record that
 *       arrived during the previous commit, so the number of transactions per second, which is what
 *       costs a broker most, stays bounded by the commit round trip instead of the record rate.
 *   <li><b>No poll with a transaction open</b>, so a rebalance never meets one half done.
 *   <li><b>Produce before offsets.</b> The records of a transaction are flushed before its offsets
 *       are added: the broker waits for the previous transaction's markers on the produce path,
 *       whereas an offset commit that meets them is retried by the client after a back-off.
 *   <li><b>Failures.</b> On a Kafka error the transaction is aborted, state hooks discard what it
 *       changed, and the consumer rewinds to the first input not committed: nothing lost, nothing
 *       visible twice. Errors that leave the producer unusable (fenced, authorization) stop the
 *       loop, as Kafka's transactions recipe says, unless the loop may renew its producer ({@link
 *       Builder#renewProducerWith}): then a coordinator that ended the transaction itself costs an
 *       abort and a new producer, not the loop.
 *   <li><b>Quiet inputs commit lazily.</b> With {@code offsetsOnlyDelay} set, a batch that produced
 *       nothing does not commit at once: its offsets wait (at most that long) for the next
 *       transaction. A crash then re-reads at most that much input, which produced nothing before
 *       and so cannot produce a duplicate.
 *   <li><b>Idle means idle.</b> With no input, the loop sleeps in {@code poll} until data arrives
 *       or the next tick is due.
 * </ul>
 *
 * <p>This class reads the loop top-down (poll, split the batch into transactions, ticks, close) and
 * declares the API a service implements (processor, tick, transaction, state hooks, builder), which
 * is why it is longer than most; the mechanics live beside it: {@link Transactions} (commit, abort
 * and rewind), {@link LazyOffsets}, {@link TickSchedule} and {@link OpenTransaction}.
 */
public final class TransactionalLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalLoop.class);

  /** Handles one input record inside the open transaction. */
  @FunctionalInterface
  public interface Processor {
    void process(ConsumerRecord<String, byte[]> record, Transaction tx) throws Exception;
  }

  /** Periodic work that may produce (a sweep, a timer), run between batches in a transaction. */
  @FunctionalInterface
  public interface Tick {
    void run(Transaction tx) throws Exception;
  }

  /** What a processor, a tick or a state hook may do inside the open transaction. */
  public interface Transaction {
    /**
     * Sends {@code record} as part of this transaction; the future completes when the broker has
     * the record (at the latest when the transaction commits).
     */
    Future<RecordMetadata> send(ProducerRecord<String, byte[]> record);

    /** Wall-clock epoch milliseconds when the transaction began. */
    long startedAtMillis();
  }

  /**
   * Partitioned state that commits with the transaction: restored when partitions are assigned,
   * written (to its changelog, through {@link Transaction#send}) before each commit, applied
   * locally after it, and thrown away on abort.
   */
  public interface StateHooks {
    /**
     * Called on the loop thread when the group assigns {@code partitions}, after their committed
     * offsets are stable (no transaction of a previous owner pending): bring their state up to date
     * before any of their records is processed.
     */
    default void onAssigned(Collection<TopicPartition> partitions) {}

    /** The partitions are no longer ours (any open transaction has completed). */
    default void onRevoked(Collection<TopicPartition> partitions) {}

    /** Writes what the transaction changed; called before its offsets are added. */
    default void beforeCommit(Transaction tx) {}

    /** The transaction committed: make its changes the local state. */
    default void afterCommit() {}

    /** The transaction aborted: forget its changes. */
    default void afterAbort() {}
  }

  /**
   * Counts for metrics.
   *
   * @param commitNanos time spent committing (offsets, flush and commit) in all transactions
   */
  public record Stats(
      long transactions, long records, long aborts, long lazyBatches, long commitNanos) {}

  private final Builder b;
  private final Consumer<String, byte[]> consumer;
  private final TickSchedule ticks;
  private final LazyOffsets lazyOffsets;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Transactions transactions;
  private final LongAdder records = new LongAdder();
  private final LongAdder lazyBatches = new LongAdder();
  private volatile boolean closing;
  private volatile boolean assignedOnce;
  private volatile Throwable failure;
  private volatile Thread runner;

  private TransactionalLoop(Builder b) {
    this.b = b;
    this.consumer = b.consumer;
    this.ticks = new TickSchedule(b.ticks);
    this.lazyOffsets = new LazyOffsets(b.offsetsOnlyDelay);
    this.transactions =
        new Transactions(
            b.name,
            b.producer,
            b.newProducer,
            consumer,
            b.state,
            b.clock,
            lazyOffsets,
            () -> closing,
            this::pause);
  }

  public static Builder builder(
      String name, Consumer<String, byte[]> consumer, Producer<String, byte[]> producer) {
    return new Builder(name, consumer, producer);
  }

  /**
   * Runs on the calling thread until {@link #close()} or a fatal error (thrown); closes the
   * clients.
   */
  public void run() {
    runner = Thread.currentThread();
    try {
      transactions.initTransactions();
      consumer.subscribe(b.topics, new Rebalance());
      while (!closing) {
        awaitCommitInterval();
        ConsumerRecords<String, byte[]> batch;
        try {
          batch = consumer.poll(pollTimeout());
        } catch (WakeupException wokenUp) {
          continue; // close(): the loop condition decides
        }
        if (!batch.isEmpty()) {
          process(batch);
        }
        runDueTicks();
        maybeCommitLazyOffsets();
      }
      commitLazyOffsetsOnClose();
    } catch (WakeupException | InterruptException stopping) {
      if (!closing) {
        failure = stopping;
        throw stopping;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      // The producer first: its open transaction (if any) is aborted before the consumer leaves
      // the group and another instance takes over the partitions.
      try {
        transactions.producer().close(b.closeTimeout);
      } finally {
        try {
          consumer.close(GroupClose.options(consumer, b.closeTimeout));
        } finally {
          stopped.countDown();
        }
      }
    }
  }

  /** Runs the loop on a daemon thread of its own; returns at once. */
  public TransactionalLoop start() {
    Thread thread =
        new Thread(
            () -> {
              try {
                run();
              } catch (RuntimeException | Error e) {
                LOG.error("{} stopped: {}", b.name, e.getMessage(), e);
              }
            },
            b.name);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /**
   * True once the group assigned this member its partitions at least once (maybe none), and their
   * state was restored.
   */
  public boolean assigned() {
    return assignedOnce && failure == null && stopped.getCount() > 0;
  }

  /** The error the loop stopped with, or null while it runs (or after a clean close). */
  public Throwable failure() {
    return failure;
  }

  /**
   * The producer transactions run on now: the builder's, or its latest replacement (see {@link
   * Builder#renewProducerWith}). For work between transactions on the loop's thread (a state
   * restore that writes).
   */
  public Producer<String, byte[]> producer() {
    return transactions.producer();
  }

  public Stats stats() {
    return new Stats(
        transactions.transactions.sum(),
        records.sum(),
        transactions.aborts.sum(),
        lazyBatches.sum(),
        transactions.commitNanos.sum());
  }

  /**
   * Stops after the current transaction, closes the clients, and waits for that (up to the close
   * timeout) unless called from the loop itself.
   */
  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    if (runner == null || Thread.currentThread() == runner) {
      return;
    }
    try {
      stopped.await(b.closeTimeout.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * With a minimum commit interval, the next batch is read only once it has passed since the last
   * commit: what arrives meanwhile waits in the fetch buffer and joins that batch.
   */
  private void awaitCommitInterval() {
    long wait = transactions.lastCommitNanos() + b.minCommitInterval.toNanos() - System.nanoTime();
    if (b.minCommitInterval.isZero() || wait <= 0) {
      return;
    }
    pause(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
  }

  private Duration pollTimeout() {
    long untilTick = Math.min(ticks.nanosUntilNext(), lazyOffsets.nanosUntilDue());
    long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(untilTick));
    return millis < b.pollTimeout.toMillis() ? Duration.ofMillis(millis) : b.pollTimeout;
  }

  private void process(ConsumerRecords<String, byte[]> batch) {
    // Where each partition resumes if a transaction fails: its first input not yet committed.
    // Initially the batch's first offsets, which equal the committed offsets (the previous batch
    // ended with a commit or lazily pending offsets, which an abort gives up too).
    Map<TopicPartition, Long> resumeAt = new HashMap<>();
    for (TopicPartition partition : batch.partitions()) {
      OffsetAndMetadata lazy = lazyOffsets.get(partition);
      resumeAt.put(partition, batch.records(partition).get(0).offset());
      if (lazy != null) {
        resumeAt.put(partition, Math.min(lazy.offset(), resumeAt.get(partition)));
      }
    }
    Iterator<ConsumerRecord<String, byte[]>> pending = batch.iterator();
    // Closing stops after the current transaction: the rest of the batch is not committed, so
    // the instance that takes over the partitions serves it.
    while (pending.hasNext() && !closing) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      boolean committed;
      try {
        committed = transaction(pending, offsets);
      } catch (KafkaException e) {
        transactions.abortAndRewind(e, resumeAt);
        return;
      }
      if (committed) {
        offsets.forEach((partition, next) -> resumeAt.put(partition, next.offset()));
      }
      transactions.succeeded();
    }
  }

  /**
   * One transaction over the next records of the batch, until the batch ends or the transaction has
   * been open for {@code maxTransactionTime}. Returns false when it produced nothing and its
   * offsets were left to a later transaction.
   */
  private boolean transaction(
      Iterator<ConsumerRecord<String, byte[]>> pending,
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    OpenTransaction tx = transactions.begin();
    long commitBy = System.nanoTime() + b.maxTransactionTime.toNanos();
    int count = 0;
    do {
      ConsumerRecord<String, byte[]> record = pending.next();
      try {
        b.processor.process(record, tx);
      } catch (KafkaException e) {
        throw e;
      } catch (Exception e) {
        // A processor must answer bad input itself; an exception here is a bug, and retrying the
        // record would repeat it forever. Skip it, loudly.
        LOG.error(
            "{}: processing {}-{}@{} failed; skipped",
            b.name,
            record.topic(),
            record.partition(),
            record.offset(),
            e);
      }
      offsets.put(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
      count++;
    } while (pending.hasNext() && System.nanoTime() - commitBy < 0);
    records.add(count);
    if (b.state != null) {
      b.state.beforeCommit(tx);
    }
    if (tx.empty() && lazyOffsets.enabled()) {
      transactions.commitEmpty();
      lazyOffsets.add(offsets);
      lazyBatches.increment();
      return false;
    }
    lazyOffsets.remove(offsets.keySet());
    transactions.commit(tx, offsets);
    return true;
  }

  private void runDueTicks() {
    ticks.runDue(() -> closing, this::runTick);
  }

  /** Runs one tick in a transaction of its own; false when that transaction failed. */
  private boolean runTick(Tick tick) {
    try {
      OpenTransaction tx = transactions.begin();
      try {
        tick.run(tx);
      } catch (KafkaException e) {
        throw e;
      } catch (Exception e) {
        LOG.error("{}: a tick failed", b.name, e);
      }
      if (b.state != null) {
        b.state.beforeCommit(tx);
      }
      if (tx.empty()) {
        transactions.commitEmpty();
      } else {
        transactions.commit(tx, Map.of());
      }
      return true;
    } catch (KafkaException e) {
      transactions.abortAndRewind(e, Map.of());
      return false;
    }
  }

  private void maybeCommitLazyOffsets() {
    if (!lazyOffsets.due() || closing) {
      return;
    }
    transactions.commitLazyOffsets();
  }

  private void commitLazyOffsetsOnClose() {
    if (!lazyOffsets.isEmpty()) {
      try {
        transactions.commitLazyOffsets();
      } catch (KafkaException e) {
        LOG.debug("{}: pending offsets not committed on close: {}", b.name, e.getMessage());
      }
    }
  }

  /**
   * Errors after which this producer can do nothing more, not even abort. Not among them: {@code
   * InvalidProducerEpochException}, which a cluster's transaction coordinator causes when it fails
   * over or aborts a transaction itself (bumping the epoch); Kafka's remedy is to abort, which
   * re-initialises the producer, and go on. A newer instance with the same transactional id still
   * ends this one (the abort then fails with {@code ProducerFencedException}) unless the loop may
   * renew its producer.
   */
  public static boolean isFatal(KafkaException e) {
    return (e instanceof ApplicationRecoverableException // fenced: a newer instance took over
            && !(e instanceof InvalidProducerEpochException))
        || e instanceof OutOfOrderSequenceException
        || e instanceof AuthorizationException
        || e instanceof UnsupportedVersionException;
  }

  private void pause(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    try {
      while (!closing && System.nanoTime() - until < 0) {
        Thread.sleep(Math.min(50, millis));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Before state is restored for new partitions, their committed offsets must be stable: a read
   * with read_committed isolation waits until no transaction of a previous owner is pending, so the
   * changelog it restores from holds all that owner committed (KIP-447).
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (b.state != null && !partitions.isEmpty()) {
        consumer.committed(Set.copyOf(partitions));
        b.state.onAssigned(partitions);
      }
      // Only now: a member is ready once the state of its partitions is.
      assignedOnce = true;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      lazyOffsets.remove(partitions);
      if (b.state != null && !partitions.isEmpty()) {
        b.state.onRevoked(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }

  /** Settings of a {@link TransactionalLoop}; topics and a processor are required. */
  public static final class Builder {
    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private Collection<String> topics;
    private Processor processor;
    private StateHooks state;
    private final Map<Tick, Duration> ticks = new java.util.LinkedHashMap<>();
    private Duration pollTimeout = Duration.ofSeconds(1);
    private Duration maxTransactionTime = Duration.ofMillis(100);
    private Duration offsetsOnlyDelay = Duration.ZERO;
    private Duration minCommitInterval = Duration.ZERO;
    private Duration closeTimeout = Duration.ofSeconds(10);
    private LongSupplier clock = System::currentTimeMillis;
    private Supplier<Producer<String, byte[]>> newProducer;

    private Builder(
        String name, Consumer<String, byte[]> consumer, Producer<String, byte[]> producer) {
      this.name = Objects.requireNonNull(name);
      this.consumer = Objects.requireNonNull(consumer);
      this.producer = Objects.requireNonNull(producer);
    }

    public Builder topics(Collection<String> topics) {
      this.topics = List.copyOf(topics);
      return this;
    }

    public Builder processor(Processor processor) {
      this.processor = Objects.requireNonNull(processor);
      return this;
    }

    public Builder state(StateHooks state) {
      this.state = Objects.requireNonNull(state);
      return this;
    }

    /** Runs {@code tick} every {@code every}, between batches, in a transaction of its own. */
    public Builder every(Duration every, Tick tick) {
      ticks.put(Objects.requireNonNull(tick), Objects.requireNonNull(every));
      return this;
    }

    /** How long an idle poll waits at most; default 1 s. */
    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = Objects.requireNonNull(pollTimeout);
      return this;
    }

    /**
     * A transaction is committed once it has been open this long, even in the middle of a batch:
     * what it produced is visible only after its commit. Default 100 ms.
     */
    public Builder maxTransactionTime(Duration maxTransactionTime) {
      this.maxTransactionTime = Objects.requireNonNull(maxTransactionTime);
      return this;
    }

    /** See the class comment; default zero: every batch commits. */
    public Builder offsetsOnlyDelay(Duration offsetsOnlyDelay) {
      this.offsetsOnlyDelay = Objects.requireNonNull(offsetsOnlyDelay);
      return this;
    }

    /**
     * At most one commit per interval: trades latency for fewer, larger transactions (each one
     * costs the broker far more than the records in it). Default zero: a transaction per poll.
     */
    public Builder minCommitInterval(Duration minCommitInterval) {
      this.minCommitInterval = Objects.requireNonNull(minCommitInterval);
      return this;
    }

    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout);
      return this;
    }

    /**
     * How to make a producer with the same transactional id when the transaction coordinator has
     * ended the current one's transaction itself: it aborts a transaction open longer than {@code
     * transaction.timeout.ms} (as happens while a broker fails over) and bumps the producer's
     * epoch, after which the old producer can neither commit nor abort (ProducerFencedException,
     * InvalidTxnStateException). The loop then closes it, takes a new one (whose {@code
     * initTransactions} finishes the old transaction) and processes the aborted input again, as
     * Kafka Streams does under exactly-once v2. Without it (the default) such an error stops the
     * loop. Two live instances sharing one transactional id would fence each other in turn: give
     * each instance its own.
     */
    public Builder renewProducerWith(Supplier<Producer<String, byte[]>> newProducer) {
      this.newProducer = Objects.requireNonNull(newProducer);
      return this;
    }

    /** The clock of {@link Transaction#startedAtMillis()}; tests inject one. */
    public Builder clock(LongSupplier clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public TransactionalLoop build() {
      if (topics == null || topics.isEmpty() || processor == null) {
        throw new IllegalStateException(name + ": topics and a processor are required");
      }
      return new TransactionalLoop(this);
    }
  }
}
