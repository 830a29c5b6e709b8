package dev.portico.stream;

import dev.portico.kit.ClientSettings;
import dev.portico.runtime.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A fixed set of group-less {@code read_committed} consumers. A KafkaConsumer is not thread-safe
 * and costly to create (connections, metadata), so each read borrows one, assigns and seeks it, and
 * gives it back; the pool size bounds concurrent reads.
 */
final class ConsumerPool implements AutoCloseable {
  private final BlockingQueue<Consumer<String, byte[]>> idle;
  private final List<Consumer<String, byte[]>> all = new ArrayList<>();
  private final Duration wait;

  ConsumerPool(KafkaSettings kafka, int size, Duration wait) {
    this.idle = new ArrayBlockingQueue<>(size);
    this.wait = wait;
    for (int i = 0; i < size; i++) {
      Map<String, Object> props =
          ClientSettings.committedReader(kafka.clientProperties("portico-stream-reader-" + i));
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
      // No long polling: a read stops at the end offset it saw, and a prefetch left waiting at
      // the end of the log (the default 500 ms) would delay the next borrower's first fetch.
      props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
      Consumer<String, byte[]> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      all.add(consumer);
      idle.add(consumer);
    }
  }

  /** Runs {@code work} with a borrowed consumer; blocking, call it on a worker thread. */
  <T> T with(Function<Consumer<String, byte[]>, T> work) {
    Consumer<String, byte[]> consumer;
    try {
      consumer = idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StreamError.busy("Interrupted while waiting for a stream reader");
    }
    if (consumer == null) {
      throw StreamError.busy("All stream readers are busy; retry with backoff");
    }
    try {
      return work.apply(consumer);
    } finally {
      consumer.unsubscribe(); // forget the assignment and fetched data before the next borrower
      idle.add(consumer);
    }
  }

  @Override
  public void close() {
    all.forEach(c -> c.close(Duration.ofSeconds(2)));
  }
}
