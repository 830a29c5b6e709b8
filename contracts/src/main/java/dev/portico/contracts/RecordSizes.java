package dev.portico.contracts;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An upper estimate of a record's size as the producer measures it against {@code max.request.size}
 * and the broker against the topic's {@code max.message.bytes}: a record under both limits by this
 * estimate is accepted. Writers check it before sending, because Kafka fails a record over the
 * limit late (the whole transaction of a function, after a round trip for the edge) and with an
 * error that does not say whose fault it is.
 */
public final class RecordSizes {
  /** Batch header (61 bytes) and per-record framing, with room to spare. */
  public static final int OVERHEAD = 512;

  private RecordSizes() {}

  public static int estimate(ProducerRecord<String, byte[]> record) {
    long size = OVERHEAD;
    if (record.key() != null) {
      size += utf8Length(record.key());
    }
    if (record.value() != null) {
      size += record.value().length;
    }
    for (Header header : record.headers()) {
      size += utf8Length(header.key()) + 8;
      size += header.value() == null ? 0 : header.value().length;
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  /** The UTF-8 length of {@code s}, counted without encoding it (this runs for every request). */
  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3; // a lone surrogate is encoded as '?' (1 byte): 3 is an upper bound
      }
    }
    return bytes;
  }
}
