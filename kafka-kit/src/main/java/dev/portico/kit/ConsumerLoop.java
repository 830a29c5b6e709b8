package dev.portico.kit;

import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer loop: a thread of its own that owns a Kafka consumer (Kafka consumers are not
 * thread-safe), runs a set-up step (assign, seek, subscribe), then polls and hands every non-empty
 * batch to a handler until {@link #close()}. Other threads reach the consumer only through {@link
 * #submit} (run on the loop thread between polls) and {@link #close} (a wake-up).
 *
 * <p>Rules: a handler failure (or a failure of the step after a poll) is logged and counted, and
 * the loop goes on with the next batch (so one bad record never stops a service), unless the
 * handler throws {@link Stop}; set-up failures and Kafka failures outside the handler stop the
 * loop. When the loop ends, a last step ({@code beforeClose}) may commit what is pending, and the
 * consumer leaves its group ({@link GroupClose}: briefly when it owns no partitions). The poll
 * timeout only bounds how long an idle loop sleeps: a parked fetch is answered as soon as data
 * arrives, so a long timeout costs no latency and keeps an idle service idle.
 *
 * <p>Just over 300 lines with its {@link Builder}; the thread's life cycle reads as one piece.
 */
public final class ConsumerLoop<K, V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** What the loop calls with each non-empty batch, on the loop thread. */
  @FunctionalInterface
  public interface BatchHandler<K, V> {
    void onBatch(ConsumerRecords<K, V> batch) throws Exception;
  }

  /** A step that needs the consumer: set-up, or a task submitted from another thread. */
  @FunctionalInterface
  public interface ConsumerTask<K, V> {
    void run(Consumer<K, V> consumer) throws Exception;
  }

  /** Thrown by a handler to stop the loop (the failure is logged, {@link #failure()} keeps it). */
  public static final class Stop extends RuntimeException {
    public Stop(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String name;
  private final Consumer<K, V> consumer;
  private final ConsumerTask<K, V> setUp;
  private final BatchHandler<K, V> handler;
  private final Runnable afterPoll;
  private final ConsumerTask<K, V> beforeClose;
  private final Duration pollTimeout;
  private final Duration closeTimeout;
  private final Thread thread;
  private final Queue<ConsumerTask<K, V>> tasks = new ConcurrentLinkedQueue<>();
  private final CountDownLatch setUpDone = new CountDownLatch(1);
  private final LongAdder records = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private volatile boolean running = true;
  private volatile Throwable failure;

  private ConsumerLoop(Builder<K, V> b) {
    this.name = b.name;
    this.consumer = b.consumer;
    this.setUp = b.setUp;
    this.handler = b.handler;
    this.afterPoll = b.afterPoll;
    this.beforeClose = b.beforeClose;
    this.pollTimeout = b.pollTimeout;
    this.closeTimeout = b.closeTimeout;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  public static <K, V> Builder<K, V> builder(String name, Consumer<K, V> consumer) {
    return new Builder<>(name, consumer);
  }

  /** Starts the thread; returns at once. */
  public ConsumerLoop<K, V> start() {
    thread.start();
    return this;
  }

  /**
   * Starts the thread and waits until the set-up step ran (positions fixed, subscription made), so
   * that records published after this returns are not missed by a loop that starts at the end.
   *
   * @throws IllegalStateException if the set-up failed or took longer than {@code timeout}
   */
  public ConsumerLoop<K, V> startAndAwaitSetUp(Duration timeout) {
    start();
    try {
      if (!setUpDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + ": set-up not done after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while starting", e);
    }
    if (failure != null) {
      throw new IllegalStateException(name + " could not start: " + failure.getMessage(), failure);
    }
    return this;
  }

  /** Runs {@code task} on the loop thread before its next poll (the current one is woken up). */
  public void submit(ConsumerTask<K, V> task) {
    tasks.add(task);
    consumer.wakeup();
  }

  public String name() {
    return name;
  }

  /** True while the thread runs (set-up included). */
  public boolean isRunning() {
    return thread.isAlive() && failure == null;
  }

  /** Why the loop stopped on its own, or {@code null}. */
  public Throwable failure() {
    return failure;
  }

  public long records() {
    return records.sum();
  }

  public long batches() {
    return batches.sum();
  }

  /** Batches whose handler failed (and were skipped), and failed steps after a poll. */
  public long failures() {
    return failures.sum();
  }

  private void run() {
    boolean setUpRan = false;
    try {
      setUp.run(consumer);
      setUpRan = true;
      setUpDone.countDown();
      while (running) {
        runTasks();
        ConsumerRecords<K, V> batch;
        try {
          batch = consumer.poll(pollTimeout);
        } catch (WakeupException wokenUp) {
          continue; // a submitted task or close(): the loop condition and the queue decide
        }
        if (!batch.isEmpty()) {
          handle(batch);
        }
        runAfterPoll();
      }
    } catch (WakeupException | InterruptException stopping) {
      if (running) {
        fail(stopping);
      }
    } catch (Exception | Error e) {
      fail(e);
    } finally {
      setUpDone.countDown();
      if (setUpRan) {
        runBeforeClose();
      }
      try {
        consumer.close(GroupClose.options(consumer, closeTimeout));
      } catch (RuntimeException e) {
        LOG.debug("{}: closing the consumer failed: {}", name, e.getMessage());
      }
    }
  }

  /**
   * The last step on the loop thread (commit what is pending). A wake-up from {@link #close()} may
   * still be pending when the loop ends between two polls; it interrupts the first blocking call,
   * so that call is made once more.
   */
  private void runBeforeClose() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        beforeClose.run(consumer);
        return;
      } catch (WakeupException pendingWakeUp) {
        // the close() wake-up, consumed now: try again
      } catch (Exception e) {
        LOG.warn("{}: the step before closing failed: {}", name, e.toString());
        return;
      }
    }
  }

  private void runTasks() throws Exception {
    for (ConsumerTask<K, V> task = tasks.poll(); task != null; task = tasks.poll()) {
      task.run(consumer);
    }
  }

  private void handle(ConsumerRecords<K, V> batch) {
    batches.increment();
    records.add(batch.count());
    try {
      handler.onBatch(batch);
    } catch (Stop stop) {
      throw stop;
    } catch (WakeupException wokenUp) {
      throw wokenUp;
    } catch (Exception e) {
      failures.increment();
      LOG.error("{}: a batch of {} records failed: {}", name, batch.count(), e.toString(), e);
    }
  }

  private void runAfterPoll() {
    try {
      afterPoll.run();
    } catch (Stop | WakeupException passOn) {
      throw passOn;
    } catch (RuntimeException e) {
      failures.increment();
      LOG.error("{}: the step after a poll failed: {}", name, e.toString(), e);
    }
  }

  private void fail(Throwable e) {
    failure = e;
    LOG.error("{} stopped: {}", name, e.getMessage(), e);
  }

  /** Stops polling, closes the consumer, and waits for the thread (up to the close timeout). */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    if (Thread.currentThread() == thread || thread.getState() == Thread.State.NEW) {
      closeUnstarted();
      return;
    }
    try {
      thread.join(closeTimeout.toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeUnstarted() {
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(GroupClose.options(consumer, closeTimeout));
    }
  }

  /** Settings of a {@link ConsumerLoop}; a handler is required. */
  public static final class Builder<K, V> {
    private final String name;
    private final Consumer<K, V> consumer;
    private ConsumerTask<K, V> setUp = c -> {};
    private BatchHandler<K, V> handler;
    private Runnable afterPoll = () -> {};
    private ConsumerTask<K, V> beforeClose = c -> {};
    private Duration pollTimeout = Duration.ofSeconds(1);
    private Duration closeTimeout = Duration.ofSeconds(5);

    private Builder(String name, Consumer<K, V> consumer) {
      this.name = Objects.requireNonNull(name);
      this.consumer = Objects.requireNonNull(consumer);
    }

    /** Runs once on the loop thread before the first poll: assign, seek, subscribe. */
    public Builder<K, V> setUp(ConsumerTask<K, V> setUp) {
      this.setUp = Objects.requireNonNull(setUp);
      return this;
    }

    public Builder<K, V> onBatch(BatchHandler<K, V> handler) {
      this.handler = Objects.requireNonNull(handler);
      return this;
    }

    /** Runs on the loop thread after every poll, empty or not (periodic work between polls). */
    public Builder<K, V> afterPoll(Runnable afterPoll) {
      this.afterPoll = Objects.requireNonNull(afterPoll);
      return this;
    }

    /**
     * Runs once on the loop thread when it stops (closed, or failed after its set-up), before the
     * consumer is closed: commit what is pending.
     */
    public Builder<K, V> beforeClose(ConsumerTask<K, V> beforeClose) {
      this.beforeClose = Objects.requireNonNull(beforeClose);
      return this;
    }

    /** How long an idle poll waits; default 1 s. */
    public Builder<K, V> pollTimeout(Duration pollTimeout) {
      this.pollTimeout = Objects.requireNonNull(pollTimeout);
      return this;
    }

    public Builder<K, V> closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout);
      return this;
    }

    public ConsumerLoop<K, V> build() {
      if (handler == null) {
        throw new IllegalStateException(name + ": no batch handler");
      }
      return new ConsumerLoop<>(this);
    }
  }
}
