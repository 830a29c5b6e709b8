package dev.portico.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class RecordSizesTest {
  @Test
  void shouldCountUtf8WithoutEncoding() {
    for (String s : List.of("", "abc", "é", "€uro", "😀 ok", "\ud800 lone")) {
      assertEquals(
          s.getBytes(StandardCharsets.UTF_8).length,
          RecordSizes.utf8Length(s) - (s.contains("\ud800") ? 2 : 0),
          s);
    }
  }

  /** At least what the producer itself estimates before it checks {@code max.request.size}. */
  @Test
  void shouldNeverEstimateLessThanKafka() {
    for (int size : List.of(0, 1, 100, 10_000, 1_000_000)) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>("fn.orders", "clé-" + size, new byte[size]);
      ProtocolHeaders.put(record.headers(), ProtocolHeaders.CORRELATION_ID, "c-" + size);
      ProtocolHeaders.put(record.headers(), ProtocolHeaders.REPLY_TOPIC, "portico.edge.replies");
      int kafka =
          AbstractRecords.estimateSizeInBytesUpperBound(
              RecordBatch.CURRENT_MAGIC_VALUE,
              CompressionType.NONE,
              record.key().getBytes(StandardCharsets.UTF_8),
              record.value(),
              record.headers().toArray());
      int ours = RecordSizes.estimate(record);
      assertTrue(ours >= kafka && ours <= kafka + RecordSizes.OVERHEAD, ours + " vs " + kafka);
    }
  }
}
