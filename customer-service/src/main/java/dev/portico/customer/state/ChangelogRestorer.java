package dev.portico.customer.state;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a partition's store up to date from its changelog partition: from the store's checkpoint
 * to the last committed offset (read_committed, so aborted writes are never restored). Runs on the
 * loop thread during a rebalance, with a consumer of its own that belongs to no group.
 */
public final class ChangelogRestorer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangelogRestorer.class);

  private final Consumer<String, byte[]> consumer;

  /**
   * @param consumer read_committed, no group; owned (closed) by this restorer
   */
  public ChangelogRestorer(Consumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  /** The consumer, for other work on the loop thread during a rebalance (the legacy import). */
  public Consumer<String, byte[]> consumer() {
    return consumer;
  }

  /** Restores {@code store} from {@code changelog}; returns the number of records applied. */
  public long restore(PartitionStore store, TopicPartition changelog) {
    List<TopicPartition> one = List.of(changelog);
    consumer.assign(one);
    long end = consumer.endOffsets(one).get(changelog);
    long begin = consumer.beginningOffsets(one).get(changelog);
    if (store.checkpoint() > end) {
      // The changelog is shorter than what we applied: it was deleted and created again.
      LOG.warn(
          "{} ends at {} but the local state is at {}: rebuilding it from the changelog",
          changelog,
          end,
          store.checkpoint());
      store.wipe();
    }
    long from = Math.max(store.checkpoint(), begin);
    if (from >= end) {
      return 0;
    }
    consumer.seek(changelog, from);
    long applied = 0;
    while (consumer.position(changelog) < end) {
      List<Map.Entry<byte[], byte[]>> batch = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        batch.add(new AbstractMap.SimpleEntry<>(StateKeys.bytes(r.key()), r.value()));
      }
      store.restore(batch, consumer.position(changelog));
      applied += batch.size();
    }
    return applied;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
