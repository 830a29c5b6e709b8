package dev.portico.kit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compacted one-partition topic held in memory: read whole when it starts, then followed by a
 * thread of its own; a tombstone removes its key. Readers that must not miss a record written just
 * before they ask (a table created a moment ago on another replica) call {@link #catchUp}, which
 * reads to the topic's present end on the follower's thread; a burst of callers shares one.
 *
 * @param <V> what a record's value is read into; a value that cannot be read is logged and skipped
 */
public final class CompactedView<V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompactedView.class);

  private final String topic;
  private final Function<byte[], V> reader;
  private final Map<String, V> values = new ConcurrentHashMap<>();
  private final ConsumerLoop<String, byte[]> follower;
  private final Object catchUpLock = new Object();
  private CompletableFuture<Void> waiting;
  private volatile boolean closing;

  /**
   * Blocking: reads {@code topic} (one partition) to its end before it returns.
   *
   * @param consumer a read-committed consumer with no group; the view owns and closes it
   */
  public CompactedView(
      String topic, Consumer<String, byte[]> consumer, Function<byte[], V> reader) {
    this.topic = topic;
    this.reader = reader;
    Replay.fromBeginning(
        consumer, List.of(new TopicPartition(topic, 0)), batch -> batch.forEach(this::apply));
    this.follower =
        ConsumerLoop.builder(topic + "-follower", consumer)
            .onBatch(batch -> batch.forEach(this::apply))
            .build()
            .start();
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      values.remove(record.key());
      return;
    }
    try {
      values.put(record.key(), reader.apply(record.value()));
    } catch (RuntimeException unreadable) {
      LOG.warn("Ignoring unreadable {} record {}: {}", topic, record.key(), unreadable.toString());
    }
  }

  /** The value of {@code key} as this view has it now. */
  public Optional<V> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Every value, as this view has them now. */
  public Map<String, V> all() {
    return Map.copyOf(values);
  }

  /**
   * Completes once the view has read every record the topic had when this was called. Never blocks
   * the caller. Callers coalesce: while a catch-up waits for the follower's thread, later callers
   * share it (it reads the end offsets only when it starts, so it covers them too); at most one
   * catch-up waits and one runs, however many ask.
   */
  public CompletableFuture<Void> catchUp() {
    synchronized (catchUpLock) {
      if (waiting != null) {
        return waiting;
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      waiting = done;
      follower.submit(
          consumer -> {
            synchronized (catchUpLock) {
              waiting = null; // from here on, a new caller needs a new catch-up
            }
            readToEnd(consumer, done);
          });
      return done;
    }
  }

  /**
   * Reads to the topic's present end, on the follower's thread. Another caller's {@link #catchUp}
   * wakes the consumer up to get its task run; met here, that wake-up asks for what this is already
   * doing, so the read goes on (unless the view is closing).
   */
  private void readToEnd(Consumer<String, byte[]> consumer, CompletableFuture<Void> done) {
    List<TopicPartition> partition = List.of(new TopicPartition(topic, 0));
    while (true) {
      try {
        Replay.toEnds(
            consumer,
            consumer.endOffsets(partition, Duration.ofSeconds(5)),
            batch -> batch.forEach(this::apply));
        done.complete(null);
        return;
      } catch (WakeupException wokenUp) {
        if (closing) {
          done.completeExceptionally(wokenUp);
          return;
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
    }
  }

  /** {@link #get}, after a {@link #catchUp} when the key is missing (blocks up to {@code wait}). */
  public Optional<V> getFresh(String key, Duration wait) {
    Optional<V> value = get(key);
    if (value.isPresent()) {
      return value;
    }
    try {
      catchUp().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception slowOrFailed) {
      LOG.warn("Could not read {} to its end: {}", topic, slowOrFailed.toString());
    }
    return get(key);
  }

  /** Why the follower stopped, or {@code null} while it runs. */
  public Throwable failure() {
    return follower.failure();
  }

  @Override
  public void close() {
    closing = true;
    follower.close();
  }
}
