package dev.portico.customer;

import java.util.UUID;

/**
 * Where a command sits in the commands topic. Its offset orders every change of an item (one item
 * always maps to one partition), so it becomes the stream record's sequence number; the position
 * also names the record's event id, so reprocessing after a crash yields the same id.
 */
public record CommandMeta(String topic, int partition, long offset, long timestampMillis) {
  public String sequenceNumber() {
    return String.format("%021d", offset);
  }

  public String eventId() {
    return UUID.nameUUIDFromBytes(
            (topic + "/" + partition + "/" + offset)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }
}
