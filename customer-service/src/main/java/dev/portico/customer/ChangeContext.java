package dev.portico.customer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What an operation needs from where it runs: the time to judge TTL and idempotency by, and
 * sequence numbers for the change records it writes.
 *
 * <p>Sequence numbers are 21 digits, compared as strings. They increase per partition (so per
 * item): a command's first record takes {@code offset * 10,000}, further records of the same
 * command and TTL deletes between commands take the next number. Event ids derive from the
 * partition and sequence number, so reprocessing after a crash yields the same ids.
 */
public interface ChangeContext {
  /** Epoch milliseconds of the command (its record timestamp) or of the TTL sweep. */
  long nowMillis();

  /** The next sequence number of this partition's change stream. */
  String nextSequenceNumber();

  /** The event id of the change with this sequence number. */
  String eventId(String sequenceNumber);

  static String format(long sequence) {
    return String.format("%021d", sequence);
  }

  static String eventId(String topic, int partition, String sequenceNumber) {
    return UUID.nameUUIDFromBytes(
            (topic + "/" + partition + "/" + sequenceNumber).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
