package dev.portico.table.catalog;

import dev.portico.table.key.KeyEncoding;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Where index entries and commands live. An entry's key is the index key's encoding followed by the
 * table key's ({@link KeyEncoding} components are self-delimiting): entries sort by index key, then
 * by the item's own key, and two items with the same index key are two entries. A command's record
 * key names the table (and index) and the partition key, so that all items (or entries) of one
 * partition key are kept by one partition, in key order.
 */
public final class IndexEntries {
  private IndexEntries() {}

  /**
   * The record key of commands on {@code table}'s items of {@code partitionKey}. The bundled
   * table's is its key's text, as its REST API keys them, so that both APIs' commands on one item
   * meet in one partition, in order.
   */
  public static String commandKey(String table, AttributeValue partitionKey) {
    if (BundledTable.is(table) && partitionKey instanceof AttributeValue.S text) {
      return text.value();
    }
    return table
        + '\u0000'
        + Base64.getEncoder().encodeToString(KeyEncoding.partitionPrefix(partitionKey));
  }

  /** The record key of commands on {@code index}'s entries of {@code partitionKey}. */
  public static String commandKey(String table, String index, AttributeValue partitionKey) {
    return commandKey(table + '\u0000' + index, partitionKey);
  }

  /**
   * The key of {@code item}'s entry in {@code index} (an item, or an ExclusiveStartKey holding the
   * index's and the table's key attributes).
   */
  public static byte[] entryKey(
      IndexDefinition index, KeySchema table, Map<String, AttributeValue> item) {
    byte[] indexKey = PrimaryKey.ofItem(index.key(), item).encoded();
    byte[] tableKey = PrimaryKey.ofItem(table, item).encoded();
    byte[] out = Arrays.copyOf(indexKey, indexKey.length + tableKey.length);
    System.arraycopy(tableKey, 0, out, indexKey.length, tableKey.length);
    return out;
  }

  /**
   * Refuses an item whose index key attribute has another type than the index's key, as DynamoDB
   * does (an item without the attribute is simply not in the index).
   */
  public static void check(TableDefinition table, Map<String, AttributeValue> item) {
    for (IndexDefinition index : table.indexes()) {
      check(index, index.key().partitionKey(), index.key().partitionType().name(), item);
      if (index.key().hasSortKey()) {
        check(index, index.key().sortKey(), index.key().sortType().name(), item);
      }
    }
  }

  private static void check(
      IndexDefinition index, String attribute, String type, Map<String, AttributeValue> item) {
    AttributeValue value = item.get(attribute);
    if (value != null && !value.type().equals(type)) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Type mismatch for Index Key "
              + attribute
              + " Expected: "
              + type
              + " Actual: "
              + value.type()
              + " IndexName: "
              + index.name());
    }
  }
}
