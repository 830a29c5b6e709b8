package dev.portico.customer.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.table.key.KeyRange;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One team table's items (or one index's entries) in one partition's store: typed values (DynamoDB
 * JSON) under {@code I table \0} followed by the key's {@link dev.portico.table.key.KeyEncoding}
 * bytes in lowercase hex, so that a partition key's items sit together in sort-key order. Hex
 * because the changelog's record keys are text, and it keeps the bytes' order.
 */
public final class TypedItems implements TableItems {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** What a scan hands each item to: its encoded key and the item as stored; false stops it. */
  @FunctionalInterface
  public interface Visitor {
    boolean visit(byte[] key, Stored item);
  }

  /**
   * An item as stored: its DynamoDB JSON, read into typed values only when asked (a Query without
   * filter or projection passes the stored JSON on as it is).
   */
  public static final class Stored {
    private final byte[] json;
    private Map<String, AttributeValue> item;

    Stored(byte[] json) {
      this.json = json;
    }

    /** An item held in memory, as it would be stored. */
    public static Stored of(Map<String, AttributeValue> item) {
      Stored stored = new Stored(write(item));
      stored.item = item;
      return stored;
    }

    /** The item's DynamoDB JSON. */
    public byte[] json() {
      return json;
    }

    /** The item's size as stored (its JSON's bytes). */
    public int size() {
      return json.length;
    }

    public Map<String, AttributeValue> item() {
      if (item == null) {
        item = read(json);
      }
      return item;
    }
  }

  private final PartitionStore store;
  private final byte[] prefix;

  private TypedItems(PartitionStore store, String prefix) {
    this.store = store;
    this.prefix = StateKeys.bytes(prefix);
  }

  /** A table's items. */
  public static TypedItems table(PartitionStore store, String table) {
    return new TypedItems(store, StateKeys.prefix(StateKeys.ITEM, table));
  }

  /** An index's entries: projected items under {@code X table \0 index \0} and the entry key. */
  public static TypedItems index(PartitionStore store, String table, String index) {
    return new TypedItems(store, StateKeys.prefix(StateKeys.INDEX, table) + index + '\0');
  }

  /** Deletes a table's items, index entries and TTL entries in this partition. */
  public static void deleteTable(PartitionStore store, String table) {
    new TypedItems(store, StateKeys.prefix(StateKeys.ITEM, table)).deleteAll();
    new TypedItems(store, StateKeys.prefix(StateKeys.INDEX, table)).deleteAll();
    new TableExpiries(store, table).deleteAll();
  }

  @Override
  public Map<String, AttributeValue> get(byte[] key) {
    byte[] stored = store.get(stateKey(key));
    return stored == null ? null : read(stored);
  }

  @Override
  public void put(byte[] key, Map<String, AttributeValue> item) {
    store.put(stateKey(key), write(item));
  }

  @Override
  public void delete(byte[] key) {
    store.delete(stateKey(key));
  }

  @Override
  public void scan(KeyRange range, byte[] after, Visitor visitor) {
    byte[] from = range == null ? prefix : stateKey(range.start());
    if (after != null) {
      byte[] next = stateKey(KeyRange.after(after));
      if (Arrays.compareUnsigned(next, from) > 0) {
        from = next;
      }
    }
    byte[] to = range == null ? StateKeys.end(prefix) : stateKey(range.end());
    store.scan(from, to, (key, value) -> visitor.visit(itemKey(key), new Stored(value)));
  }

  /** Deletes an index's entries in this partition. */
  public static void deleteIndex(PartitionStore store, String table, String index) {
    index(store, table, index).deleteAll();
  }

  /** Deletes everything under this prefix in the partition; returns how many. */
  private int deleteAll() {
    List<byte[]> keys = new ArrayList<>();
    store.scan(prefix, StateKeys.end(prefix), (key, value) -> keys.add(key));
    keys.forEach(store::delete);
    return keys.size();
  }

  private byte[] stateKey(byte[] key) {
    byte[] hex = HEX.formatHex(key).getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(prefix, prefix.length + hex.length);
    System.arraycopy(hex, 0, out, prefix.length, hex.length);
    return out;
  }

  private byte[] itemKey(byte[] stateKey) {
    return HEX.parseHex(
        new String(
            stateKey, prefix.length, stateKey.length - prefix.length, StandardCharsets.US_ASCII));
  }

  private static byte[] write(Map<String, AttributeValue> item) {
    try {
      return MAPPER.writeValueAsBytes(DynamoJson.write(item));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, AttributeValue> read(byte[] stored) {
    try {
      return DynamoJson.readItem(MAPPER.readTree(stored));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
