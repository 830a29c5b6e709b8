package dev.portico.customer.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One team table's TTL index in one partition's store: an entry per item whose TTL attribute is a
 * number, under {@code T table \0} and {@link TtlEntries#entry} (the expiry, then the item's
 * encoded key in hex), so the sweep finds the items due by a range scan and never reads the others.
 * The value is the item's key.
 */
public final class TableExpiries {
  private static final HexFormat HEX = HexFormat.of();

  /** An entry of the index: when the item expires, and its encoded key. */
  public record Entry(long epochSeconds, byte[] key) {}

  private final PartitionStore store;
  private final String prefix;

  public TableExpiries(PartitionStore store, String table) {
    this.store = store;
    this.prefix = StateKeys.prefix(StateKeys.TTL, table);
  }

  public void put(long epochSeconds, byte[] key) {
    store.put(stateKey(epochSeconds, key), StateKeys.bytes(HEX.formatHex(key)));
  }

  public void delete(long epochSeconds, byte[] key) {
    store.delete(stateKey(epochSeconds, key));
  }

  /** The entries due at or before {@code epochSeconds}, oldest first. */
  public List<Entry> dueBy(long epochSeconds) {
    List<Entry> due = new ArrayList<>();
    store.scan(
        StateKeys.bytes(prefix),
        StateKeys.bytes(prefix + TtlEntries.upperBound(epochSeconds)),
        (stateKey, value) -> {
          String entry = StateKeys.suffix(prefix, stateKey);
          long at = Long.parseLong(entry.substring(0, entry.indexOf('/')));
          due.add(new Entry(at, HEX.parseHex(new String(value, StandardCharsets.US_ASCII))));
          return true;
        });
    return due;
  }

  /** Deletes every entry of the table in this partition. */
  public void deleteAll() {
    List<byte[]> keys = new ArrayList<>();
    store.scan(StateKeys.bytes(prefix), StateKeys.end(prefix), (key, value) -> keys.add(key));
    keys.forEach(store::delete);
  }

  private byte[] stateKey(long epochSeconds, byte[] key) {
    return StateKeys.bytes(prefix + TtlEntries.entry(epochSeconds, HEX.formatHex(key)));
  }
}
