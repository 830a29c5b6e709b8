package dev.portico.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.StreamRecord;
import dev.portico.customer.state.TableItems;
import dev.portico.customer.state.TypedItems;
import dev.portico.table.key.KeyEncoding;
import dev.portico.table.key.KeyRange;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.PlainJson;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bundled customers table seen through the DynamoDB API, in one partition: its plain JSON items
 * read as typed values, and typed values written as plain JSON (the mapping of {@link PlainJson}),
 * through the same {@link ItemTable} writes as the REST API's: the same versions, TTL and change
 * records on the customers stream. So an item is the same item through either API.
 *
 * <p>Plain JSON has no binary or set values: writing one here is refused, rather than stored as
 * something else (a base64 string, an array) that would not read back as written.
 */
public final class TypedCustomers implements TableItems {
  private final ItemTable table;
  private final ItemStore store;
  private final ChangeContext context;
  private final Consumer<StreamRecord> changes;

  /**
   * @param changes where each change record goes (the customers stream, in the command's
   *     transaction)
   */
  public TypedCustomers(
      ItemTable table, ItemStore store, ChangeContext context, Consumer<StreamRecord> changes) {
    this.table = table;
    this.store = store;
    this.context = context;
    this.changes = changes;
  }

  @Override
  public Map<String, AttributeValue> get(byte[] key) {
    ObjectNode item = table.liveItem(customerId(key), store, context);
    return item == null ? null : PlainJson.readItem(item);
  }

  @Override
  public void put(byte[] key, Map<String, AttributeValue> item) {
    String id = customerId(key);
    ObjectNode plain = plain(item);
    checkRestRules(id, plain);
    table.replace(id, plain, store, context).forEach(changes);
  }

  @Override
  public void delete(byte[] key) {
    table.replace(customerId(key), null, store, context).forEach(changes);
  }

  /**
   * The table has a partition key only, so a range (a Query's) holds one item at most; a scan walks
   * the items in key order, which is the encoded keys' order (a string's UTF-8 bytes).
   */
  @Override
  public void scan(KeyRange range, byte[] after, TypedItems.Visitor visitor) {
    if (range != null) {
      byte[] key = range.start();
      Map<String, AttributeValue> item = after == null ? get(key) : null;
      if (item != null) {
        visitor.visit(key, TypedItems.Stored.of(item));
      }
      return;
    }
    store.scan(
        after == null ? "" : customerId(after),
        (id, stored) -> {
          ObjectNode item = table.liveItem(id, store, context);
          return item == null
              || visitor.visit(
                  KeyEncoding.encode(AttributeValue.s(id)),
                  TypedItems.Stored.of(PlainJson.readItem(item)));
        });
  }

  private static String customerId(byte[] key) {
    return ((AttributeValue.S) KeyEncoding.decode(key, KeyType.S).get(0)).value();
  }

  /** {@code item} as plain JSON; refuses binary and set values, which plain JSON cannot hold. */
  private static ObjectNode plain(Map<String, AttributeValue> item) {
    item.forEach((name, value) -> refuseUnplain(value, name));
    return PlainJson.write(item);
  }

  private static void refuseUnplain(AttributeValue value, String path) {
    if (value instanceof AttributeValue.B
        || value instanceof AttributeValue.SS
        || value instanceof AttributeValue.NS
        || value instanceof AttributeValue.BS) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: the customers table stores plain JSON, which"
              + " has no "
              + value.type()
              + " values (at "
              + path
              + ")");
    } else if (value instanceof AttributeValue.M map) {
      map.value().forEach((name, member) -> refuseUnplain(member, path + "." + name));
    } else if (value instanceof AttributeValue.L list) {
      for (int i = 0; i < list.value().size(); i++) {
        refuseUnplain(list.value().get(i), path + "[" + i + "]");
      }
    }
  }

  /** What the REST API holds every customer to: a key of 1-255 characters, 400 KB of JSON. */
  private static void checkRestRules(String id, ObjectNode item) {
    try {
      ItemValidation.checkKey(id);
      ItemValidation.checkSize(item);
    } catch (ItemValidation.Invalid invalid) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: " + invalid.getMessage());
    }
  }
}
