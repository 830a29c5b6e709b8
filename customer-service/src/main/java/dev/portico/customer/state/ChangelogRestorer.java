package dev.portico.customer.state;

import dev.portico.kit.Replay;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a partition's store up to date from its changelog partition: from the store's checkpoint
 * to the last committed offset (read_committed, so aborted writes are never restored), through
 * kafka-kit's {@link Replay}. Runs on the loop thread during a rebalance, with a consumer of its
 * own that belongs to no group.
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

  /**
   * Restores every store from its changelog partition in one pass (one round trip for all end
   * offsets, one consumer reading all partitions); returns the number of records applied.
   */
  public long restore(Map<TopicPartition, PartitionStore> stores) {
    if (stores.isEmpty()) {
      return 0;
    }
    List<TopicPartition> all = List.copyOf(stores.keySet());
    consumer.assign(all);
    Map<TopicPartition, Long> end = consumer.endOffsets(all);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(all);
    List<TopicPartition> behind = new ArrayList<>();
    for (TopicPartition tp : all) {
      PartitionStore store = stores.get(tp);
      if (store.checkpoint() > end.get(tp)) {
        // The changelog is shorter than what we applied: it was deleted and created again.
        LOG.warn(
            "{} ends at {} but the local state is at {}: rebuilding it from the changelog",
            tp,
            end.get(tp),
            store.checkpoint());
        store.wipe();
      }
      long from = Math.max(store.checkpoint(), begin.get(tp));
      if (from < end.get(tp)) {
        consumer.seek(tp, from);
        behind.add(tp);
      }
    }
    consumer.assign(behind);
    long[] applied = {0};
    Replay.toEnds(
        consumer,
        behind.stream().collect(Collectors.toMap(tp -> tp, end::get)),
        batch -> {
          for (TopicPartition tp : batch.partitions()) {
            List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
              records.add(new AbstractMap.SimpleEntry<>(StateKeys.bytes(r.key()), r.value()));
            }
            stores.get(tp).restore(records, consumer.position(tp));
            applied[0] += records.size();
          }
        });
    // The last offsets of a transactional changelog are often commit markers, which no batch
    // returns: the checkpoint moves past them too, so the next restore starts at the end.
    for (TopicPartition tp : behind) {
      long position = consumer.position(tp);
      if (stores.get(tp).checkpoint() != position) {
        stores.get(tp).restore(List.of(), position);
      }
    }
    consumer.assign(List.of());
    return applied[0];
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
