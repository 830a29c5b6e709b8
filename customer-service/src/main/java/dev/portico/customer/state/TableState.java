package dev.portico.customer.state;

import dev.portico.kit.TransactionalLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of the table service this replica owns, each a {@link PartitionStore} backed by
 * the partition of the same number in a compacted changelog topic. Restored from the changelog when
 * assigned, written to it inside each transaction, made local state when the transaction commits.
 */
public final class TableState implements TransactionalLoop.StateHooks, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TableState.class);

  private final String commandsTopic;
  private final String changelogTopic;
  private final Path dir;
  private final Rocks rocks;
  private final ChangelogRestorer restorer;
  private final LegacyImport legacy;
  private final Map<Integer, PartitionStore> stores = new ConcurrentHashMap<>();
  private final Map<Integer, List<Future<RecordMetadata>>> sent = new ConcurrentHashMap<>();

  /**
   * @param legacy brings state over from an older layout on a partition's first assignment, or
   *     {@code null}
   */
  public TableState(
      String commandsTopic,
      String changelogTopic,
      Path dir,
      Rocks rocks,
      ChangelogRestorer restorer,
      LegacyImport legacy) {
    this.commandsTopic = commandsTopic;
    this.changelogTopic = changelogTopic;
    this.dir = dir;
    this.rocks = rocks;
    this.restorer = restorer;
    this.legacy = legacy;
  }

  /** The store of a partition this replica owns, or {@code null}. */
  public PartitionStore partition(int partition) {
    return stores.get(partition);
  }

  /** The stores of every partition this replica owns now. */
  public Collection<PartitionStore> owned() {
    return List.copyOf(stores.values());
  }

  @Override
  public void onAssigned(Collection<TopicPartition> partitions) {
    long started = System.nanoTime();
    Map<TopicPartition, PartitionStore> opened = new HashMap<>();
    try {
      for (TopicPartition tp : partitions) {
        if (tp.topic().equals(commandsTopic) && !stores.containsKey(tp.partition())) {
          PartitionStore store =
              new PartitionStore(tp.partition(), dir.resolve("p-" + tp.partition()), rocks);
          opened.put(new TopicPartition(changelogTopic, tp.partition()), store);
        }
      }
      if (legacy != null) {
        legacy.importIfNeeded(
            opened.values().stream()
                .filter(store -> store.checkpoint() == 0)
                .map(PartitionStore::partition)
                .toList());
      }
      long restored = restorer.restore(opened);
      opened.values().forEach(store -> stores.put(store.partition(), store));
      LOG.info(
          "Partitions {} ready: {} changelog records restored in {} ms",
          opened.values().stream().map(PartitionStore::partition).sorted().toList(),
          restored,
          (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      opened.values().forEach(PartitionStore::close);
      throw e;
    }
  }

  @Override
  public void onRevoked(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      if (tp.topic().equals(commandsTopic)) {
        PartitionStore store = stores.remove(tp.partition());
        if (store != null) {
          // The local copy stays on disk: if the partition comes back, only the tail is restored.
          store.close();
        }
      }
    }
  }

  @Override
  public void beforeCommit(TransactionalLoop.Transaction tx) {
    for (PartitionStore store : stores.values()) {
      if (!store.dirty()) {
        continue;
      }
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      store.forEachChange(
          (key, value) ->
              futures.add(
                  tx.send(
                      new ProducerRecord<>(
                          changelogTopic,
                          store.partition(),
                          new String(key, java.nio.charset.StandardCharsets.UTF_8),
                          value))));
      sent.put(store.partition(), futures);
    }
  }

  @Override
  public void afterCommit() {
    for (Map.Entry<Integer, List<Future<RecordMetadata>>> e : sent.entrySet()) {
      PartitionStore store = stores.get(e.getKey());
      if (store != null) {
        store.commit(lastOffset(e.getValue()) + 1);
      }
    }
    sent.clear();
    // A transaction that changed state without sending (impossible by construction) would leave
    // an overlay behind: it must not leak into the next one.
    stores.values().forEach(PartitionStore::discard);
  }

  @Override
  public void afterAbort() {
    sent.clear();
    stores.values().forEach(PartitionStore::discard);
  }

  private static long lastOffset(List<Future<RecordMetadata>> futures) {
    long last = -1;
    for (Future<RecordMetadata> f : futures) {
      try {
        // Done: the commit flushed every send.
        last = Math.max(last, f.get().offset());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted after a commit", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a committed send failed", e.getCause());
      }
    }
    return last;
  }

  @Override
  public void close() {
    stores.values().forEach(PartitionStore::close);
    stores.clear();
  }
}
