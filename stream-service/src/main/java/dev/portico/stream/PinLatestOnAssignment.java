package dev.portico.stream;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * For a group that starts at "latest": when it is given partitions it has never committed, it
 * resolves "latest" at once and commits it, so that a record written after this member is ready is
 * never skipped (even when every replica is down when it comes, "latest" is not resolved again).
 * Tells when the first assignment has happened.
 */
final class PinLatestOnAssignment implements ConsumerRebalanceListener {
  private final Consumer<?, ?> consumer;
  private volatile boolean assigned;

  PinLatestOnAssignment(Consumer<?, ?> consumer) {
    this.consumer = consumer;
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
    Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
    for (TopicPartition tp : partitions) {
      if (committed.get(tp) == null) {
        start.put(tp, new OffsetAndMetadata(consumer.position(tp)));
      }
    }
    if (!start.isEmpty()) {
      consumer.commitSync(start);
    }
    assigned = true;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    // Nothing pending: each batch is published and committed before the next poll.
  }

  /** True once the group gave this member its partitions (and their start positions are fixed). */
  boolean assigned() {
    return assigned;
  }
}
