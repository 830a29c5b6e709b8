package dev.portico.customer;

/** The state an item operation reads and writes; a Kafka Streams store in production. */
public interface ItemStore {
  StoredItem get(String key);

  void put(String key, StoredItem item);
}
