package dev.portico.metrics.aggregation;

import dev.portico.metrics.model.AggregateCodec;
import dev.portico.metrics.model.CellId;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * A cell's encoded id and, per tier, the open-store key of the period it last had samples in:
 * consecutive events of a cell fall in the same period, so the key (and its hash) is built once a
 * period rather than once an event.
 */
final class CellKeys {
  private final byte[] encoded;
  private final long[] starts = new long[Tier.values().length];
  private final Bytes[] keys = new Bytes[Tier.values().length];

  CellKeys(byte[] encoded) {
    this.encoded = encoded;
  }

  Bytes openKey(Tier tier, long start) {
    int i = tier.ordinal();
    if (keys[i] == null || starts[i] != start) {
      keys[i] = OpenKey.of(tier, start, encoded);
      starts[i] = start;
    }
    return keys[i];
  }

  /** The keys of recent cells: one API's few routes send most events. */
  static final class Cache {
    private static final int MAX_CACHED_CELL_KEYS = 10_000;
    private final Map<CellId, CellKeys> keys = new HashMap<>();

    CellKeys of(CellId cell) {
      CellKeys cellKeys = keys.get(cell);
      if (cellKeys == null) {
        if (keys.size() >= MAX_CACHED_CELL_KEYS) {
          keys.clear();
        }
        cellKeys = new CellKeys(AggregateCodec.encode(cell));
        keys.put(cell, cellKeys);
      }
      return cellKeys;
    }
  }
}
