package dev.portico.customer;

import dev.portico.contracts.FunctionResponse;

/**
 * The state an item operation reads and writes: the items, the TTL index, and the receipts of
 * idempotent writes. A partition's RocksDB store in production, maps in unit tests.
 */
public interface ItemStore {
  StoredItem get(String key);

  void put(String key, StoredItem item);

  void delete(String key);

  /**
   * Visits items in key order, starting after {@code after} ("" = from the first), until the
   * visitor returns false.
   */
  void scan(String after, java.util.function.BiPredicate<String, StoredItem> visitor);

  /** Records that {@code key} expires at {@code epochSeconds}. */
  void indexExpiry(long epochSeconds, String key);

  void unindexExpiry(long epochSeconds, String key);

  /** The first result of the write with this receipt key, if kept. */
  Receipt receipt(String receiptKey);

  void keepReceipt(String receiptKey, Receipt receipt);

  /** The response of an idempotent write and when it was first given. */
  record Receipt(FunctionResponse response, long atMillis) {}
}
