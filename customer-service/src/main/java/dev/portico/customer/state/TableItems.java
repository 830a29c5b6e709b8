package dev.portico.customer.state;

import dev.portico.table.key.KeyRange;
import dev.portico.table.value.AttributeValue;
import java.util.Map;

/**
 * One table's items in one partition, as the DynamoDB API's operations read and write them: typed
 * values under encoded primary keys ({@link dev.portico.table.key.KeyEncoding}), in key order.
 */
public interface TableItems {
  /** The item, or {@code null}. */
  Map<String, AttributeValue> get(byte[] key);

  void put(byte[] key, Map<String, AttributeValue> item);

  void delete(byte[] key);

  /**
   * The items whose keys lie in {@code range} ({@code null}: the whole table) and come after {@code
   * after} ({@code null}: from the range's start), in key order.
   */
  void scan(KeyRange range, byte[] after, TypedItems.Visitor visitor);
}
