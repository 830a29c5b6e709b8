package dev.portico.customer;

import dev.portico.customer.state.PartitionStore;
import dev.portico.customer.state.StateKeys;
import java.nio.charset.StandardCharsets;

/**
 * Sequence numbers of a partition: at least {@code floor} (a command's offset x 10,000, or 0), and
 * always above the last one used, which the partition's state keeps so it survives restarts. Every
 * stream written from the partition (the customers table's and team tables') draws from this one
 * counter, so sequence numbers increase with the offset in each changes topic's partition.
 */
public final class PartitionChanges implements ChangeContext {
  private static final byte[] SEQUENCE = StateKeys.bytes(StateKeys.SEQUENCE);
  private final PartitionStore store;
  private final long now;
  private final long floor;
  private final String stream;

  /**
   * @param stream the stream's name in its event ids (a table name)
   */
  public PartitionChanges(PartitionStore store, long now, long floor, String stream) {
    this.store = store;
    this.now = now;
    this.floor = floor;
    this.stream = stream;
  }

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public String nextSequenceNumber() {
    byte[] stored = store.get(SEQUENCE);
    long last = stored == null ? -1 : Long.parseLong(new String(stored, StandardCharsets.UTF_8));
    long next = Math.max(floor, last + 1);
    store.put(SEQUENCE, Long.toString(next).getBytes(StandardCharsets.UTF_8));
    return ChangeContext.format(next);
  }

  @Override
  public String eventId(String sequenceNumber) {
    return ChangeContext.eventId(stream, store.partition(), sequenceNumber);
  }
}
