package dev.portico.function;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An upper estimate of a record's size as the producer measures it against {@code
 * max.request.size}. A record over the limit fails the whole transaction, and would fail it again
 * on every retry of the batch, so the function refuses such records before they reach Kafka.
 */
final class RecordSizes {
  /** Batch header (61 bytes) and per-record framing, with room to spare. */
  static final int OVERHEAD = 512;

  private RecordSizes() {}

  static int estimate(ProducerRecord<String, byte[]> record) {
    long size = OVERHEAD;
    if (record.key() != null) {
      size += record.key().getBytes(StandardCharsets.UTF_8).length;
    }
    if (record.value() != null) {
      size += record.value().length;
    }
    for (Header header : record.headers()) {
      size += header.key().getBytes(StandardCharsets.UTF_8).length + 8;
      size += header.value() == null ? 0 : header.value().length;
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }
}
