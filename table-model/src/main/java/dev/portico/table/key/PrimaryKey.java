package dev.portico.table.key;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An item's primary key under a table's {@link KeySchema}: read from a whole item (PutItem) or from
 * a request's {@code Key} (which must hold exactly the key attributes), with DynamoDB's messages.
 *
 * @param sort {@code null} when the schema has no sort key
 */
public record PrimaryKey(AttributeValue partition, AttributeValue sort) {

  /** The key of an item to be written: each key attribute present and of its type. */
  public static PrimaryKey ofItem(KeySchema schema, Map<String, AttributeValue> item) {
    return new PrimaryKey(
        itemKey(item, schema.partitionKey(), schema.partitionType()),
        schema.hasSortKey() ? itemKey(item, schema.sortKey(), schema.sortType()) : null);
  }

  /** A request's {@code Key}: exactly the schema's key attributes, each of its type. */
  public static PrimaryKey ofKey(KeySchema schema, Map<String, AttributeValue> key) {
    int expected = schema.hasSortKey() ? 2 : 1;
    if (key == null || key.size() != expected) {
      throw doesNotMatch();
    }
    AttributeValue partition = key.get(schema.partitionKey());
    AttributeValue sort = schema.hasSortKey() ? key.get(schema.sortKey()) : null;
    if (partition == null
        || !schema.partitionType().matches(partition)
        || (schema.hasSortKey() && (sort == null || !schema.sortType().matches(sort)))) {
      throw doesNotMatch();
    }
    PrimaryKey primary = new PrimaryKey(partition, sort);
    primary.encoded(); // the size and emptiness rules
    return primary;
  }

  /** The key's bytes in the store ({@link KeyEncoding}): items sort by them. */
  public byte[] encoded() {
    return sort == null ? KeyEncoding.encode(partition) : KeyEncoding.encode(partition, sort);
  }

  /** The key as attributes, as LastEvaluatedKey and a Key parameter carry it. */
  public Map<String, AttributeValue> attributes(KeySchema schema) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    out.put(schema.partitionKey(), partition);
    if (sort != null) {
      out.put(schema.sortKey(), sort);
    }
    return out;
  }

  private static AttributeValue itemKey(
      Map<String, AttributeValue> item, String name, KeyType type) {
    AttributeValue value = item.get(name);
    if (value == null) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Missing the key " + name + " in the item");
    }
    if (!type.matches(value)) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Type mismatch for key "
              + name
              + " expected: "
              + type
              + " actual: "
              + value.type());
    }
    return value;
  }

  private static InvalidValueException doesNotMatch() {
    return new InvalidValueException("The provided key element does not match the schema");
  }
}
