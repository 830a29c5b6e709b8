package dev.portico.customer.state;

import dev.portico.contracts.JsonSerde;
import dev.portico.customer.ItemStore;
import dev.portico.customer.StoredItem;
import java.nio.charset.StandardCharsets;
import java.util.function.BiPredicate;

/** One table's items, TTL index and receipts in one partition's store, as the table sees them. */
public final class PartitionItems implements ItemStore {
  private static final JsonSerde<StoredItem> ITEMS = new JsonSerde<>(StoredItem.class);
  private static final JsonSerde<Receipt> RECEIPTS = new JsonSerde<>(Receipt.class);

  private final PartitionStore store;
  private final String table;
  private final String itemPrefix;

  public PartitionItems(PartitionStore store, String table) {
    this.store = store;
    this.table = table;
    this.itemPrefix = StateKeys.prefix(StateKeys.ITEM, table);
  }

  @Override
  public StoredItem get(String key) {
    return ITEMS.deserialize(table, store.get(StateKeys.bytes(StateKeys.item(table, key))));
  }

  @Override
  public void put(String key, StoredItem item) {
    store.put(StateKeys.bytes(StateKeys.item(table, key)), ITEMS.serialize(table, item));
  }

  @Override
  public void delete(String key) {
    store.delete(StateKeys.bytes(StateKeys.item(table, key)));
  }

  @Override
  public void scan(String after, BiPredicate<String, StoredItem> visitor) {
    byte[] from = StateKeys.bytes(itemPrefix + after);
    store.scan(
        from,
        StateKeys.end(itemPrefix),
        (key, value) -> {
          String itemKey = StateKeys.suffix(itemPrefix, key);
          if (!after.isEmpty() && itemKey.equals(after)) {
            return true;
          }
          return visitor.test(itemKey, ITEMS.deserialize(table, value));
        });
  }

  @Override
  public void indexExpiry(long epochSeconds, String key) {
    store.put(
        StateKeys.bytes(StateKeys.ttl(table, TtlEntries.entry(epochSeconds, key))),
        StateKeys.bytes(key));
  }

  @Override
  public void unindexExpiry(long epochSeconds, String key) {
    store.delete(StateKeys.bytes(StateKeys.ttl(table, TtlEntries.entry(epochSeconds, key))));
  }

  /** Keys of the items whose expiry is at or before {@code epochSeconds}, oldest first. */
  public java.util.List<String> expiredBy(long epochSeconds) {
    String prefix = StateKeys.prefix(StateKeys.TTL, table);
    java.util.List<String> due = new java.util.ArrayList<>();
    store.scan(
        StateKeys.bytes(prefix),
        StateKeys.bytes(prefix + TtlEntries.upperBound(epochSeconds)),
        (key, value) -> due.add(new String(value, StandardCharsets.UTF_8)));
    return due;
  }

  @Override
  public Receipt receipt(String receiptKey) {
    return RECEIPTS.deserialize(
        table, store.get(StateKeys.bytes(StateKeys.receipt(table, receiptKey))));
  }

  @Override
  public void keepReceipt(String receiptKey, Receipt receipt) {
    store.put(
        StateKeys.bytes(StateKeys.receipt(table, receiptKey)), RECEIPTS.serialize(table, receipt));
  }

  /** Deletes the receipts older than {@code cutoffMillis}. */
  public void forgetReceiptsBefore(long cutoffMillis) {
    String prefix = StateKeys.prefix(StateKeys.RECEIPT, table);
    java.util.List<byte[]> expired = new java.util.ArrayList<>();
    store.scan(
        StateKeys.bytes(prefix),
        StateKeys.end(prefix),
        (key, value) -> {
          if (RECEIPTS.deserialize(table, value).atMillis() < cutoffMillis) {
            expired.add(key);
          }
          return true;
        });
    expired.forEach(store::delete);
  }
}
