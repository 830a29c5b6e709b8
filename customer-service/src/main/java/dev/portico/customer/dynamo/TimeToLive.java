package dev.portico.customer.dynamo;

import dev.portico.contracts.StreamRecord;
import dev.portico.customer.state.TableExpiries;
import dev.portico.customer.state.TypedItems;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.PrimaryKey;
import dev.portico.table.value.AttributeValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * A team table's time to live, as DynamoDB has it: an item whose TTL attribute is a number of epoch
 * seconds in the past is deleted by the table service's sweep, as the service's own doing (its
 * REMOVE record names the service). Reads may return it until then. The table's TTL index ({@link
 * TableExpiries}), kept through {@link ItemChanges} like any index, lets the sweep read only the
 * items due.
 */
final class TimeToLive implements ItemChanges {
  /** Who a TTL deletion's stream record names, as DynamoDB Streams does. */
  static final StreamRecord.UserIdentity SERVICE =
      new StreamRecord.UserIdentity("Service", "dynamodb.amazonaws.com");

  private final TableDefinition table;
  private final TableExpiries expiries;

  TimeToLive(TableDefinition table, TableExpiries expiries) {
    this.table = table;
    this.expiries = expiries;
  }

  /** Keeps the TTL index of {@code table} (which has TTL enabled) in one partition. */
  @Override
  public void changed(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
    Long old = before == null ? null : expiry(table, before);
    Long now = after == null ? null : expiry(table, after);
    if (old != null && !old.equals(now)) {
      expiries.delete(old, key(before));
    }
    if (now != null && !now.equals(old)) {
      expiries.put(now, key(after));
    }
  }

  /**
   * Deletes the items of {@code table} in this partition whose TTL is before {@code nowMillis},
   * telling {@code changes} (this index, the table's indexes and stream) of each deletion.
   */
  static void sweep(
      TableDefinition table,
      TypedItems items,
      TableExpiries expiries,
      long nowMillis,
      ItemChanges changes) {
    for (TableExpiries.Entry due : expiries.dueBy(Math.floorDiv(nowMillis - 1, 1000))) {
      Map<String, AttributeValue> item = items.get(due.key());
      Long expiry = item == null ? null : expiry(table, item);
      if (expiry != null && expiry == due.epochSeconds()) {
        items.delete(due.key());
        changes.changed(item, null);
      } else {
        expiries.delete(due.epochSeconds(), due.key()); // an entry no item matches any more
      }
    }
  }

  /** Builds the TTL index of {@code table} from the items this partition has. */
  static void rebuild(TableDefinition table, TypedItems items, TableExpiries expiries) {
    expiries.deleteAll();
    TimeToLive index = new TimeToLive(table, expiries);
    items.scan(
        null,
        null,
        (key, stored) -> {
          index.changed(null, stored.item());
          return true;
        });
  }

  /**
   * The item's expiry in epoch seconds (a fraction rounded down), or {@code null} when its TTL
   * attribute is missing or not a number: such an item never expires.
   */
  static Long expiry(TableDefinition table, Map<String, AttributeValue> item) {
    if (table.ttlAttribute() == null
        || !(item.get(table.ttlAttribute()) instanceof AttributeValue.N number)) {
      return null;
    }
    BigDecimal seconds = number.value().setScale(0, RoundingMode.FLOOR);
    if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
      return null;
    }
    return seconds.longValueExact();
  }

  private byte[] key(Map<String, AttributeValue> item) {
    return PrimaryKey.ofItem(table.key(), item).encoded();
  }
}
