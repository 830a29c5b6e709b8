package dev.portico.metrics.aggregation;

import dev.portico.metrics.model.AggregateCodec;
import dev.portico.metrics.model.CellId;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the open-period store: tier, period start, cell. Big-endian and non-negative, so the
 * store's byte order is (tier, start, cell) order and "every period of a tier that is final now" is
 * one range scan.
 */
final class OpenKey {
  private static final int HEADER = Integer.BYTES + Long.BYTES;

  private OpenKey() {}

  static Bytes of(Tier tier, long start, byte[] cell) {
    return Bytes.wrap(
        ByteBuffer.allocate(HEADER + cell.length)
            .putInt(tier.seconds())
            .putLong(start)
            .put(cell)
            .array());
  }

  /** The smallest key of a period starting at {@code start} (no cell sorts before any cell). */
  static Bytes lowest(Tier tier, long start) {
    return Bytes.wrap(ByteBuffer.allocate(HEADER).putInt(tier.seconds()).putLong(start).array());
  }

  static long start(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong(Integer.BYTES);
  }

  static CellId cell(Bytes key) {
    return AggregateCodec.decodeCellId(key.get(), HEADER);
  }
}
