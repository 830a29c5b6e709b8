package dev.portico.customer;

import dev.portico.contracts.FunctionRequest;
import dev.portico.customer.state.TtlEntries;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** An {@link ItemTable} over maps, with a clock the test moves: the table's rules, no Kafka. */
final class InMemoryTable implements ItemStore, ChangeContext {
  final Map<String, StoredItem> items = new HashMap<>();
  final TreeMap<String, String> ttlIndex = new TreeMap<>();
  final Map<String, Receipt> receipts = new HashMap<>();
  final ItemTable table;
  long now = 1_763_750_000_000L;
  long lastSequence;

  InMemoryTable(String ttlAttribute, StreamViewType view) {
    table = new ItemTable(ttlAttribute, view);
  }

  InMemoryTable() {
    this("", StreamViewType.NEW_AND_OLD_IMAGES);
  }

  Outcome handle(FunctionRequest request) {
    return table.handle(request, this, this);
  }

  @Override
  public StoredItem get(String key) {
    return items.get(key);
  }

  @Override
  public void put(String key, StoredItem item) {
    items.put(key, item);
  }

  @Override
  public void delete(String key) {
    items.remove(key);
  }

  @Override
  public void scan(String after, java.util.function.BiPredicate<String, StoredItem> visitor) {
    for (var entry : new TreeMap<>(items).tailMap(after, false).entrySet()) {
      if (!visitor.test(entry.getKey(), entry.getValue())) {
        return;
      }
    }
  }

  @Override
  public void indexExpiry(long epochSeconds, String key) {
    ttlIndex.put(TtlEntries.entry(epochSeconds, key), key);
  }

  @Override
  public void unindexExpiry(long epochSeconds, String key) {
    ttlIndex.remove(TtlEntries.entry(epochSeconds, key));
  }

  @Override
  public Receipt receipt(String receiptKey) {
    return receipts.get(receiptKey);
  }

  @Override
  public void keepReceipt(String receiptKey, Receipt receipt) {
    receipts.put(receiptKey, receipt);
  }

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public String nextSequenceNumber() {
    return ChangeContext.format(++lastSequence);
  }

  @Override
  public String eventId(String sequenceNumber) {
    return ChangeContext.eventId("test", 0, sequenceNumber);
  }
}
