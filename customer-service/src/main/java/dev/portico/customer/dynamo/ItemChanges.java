package dev.portico.customer.dynamo;

import dev.portico.table.value.AttributeValue;
import java.util.Map;

/**
 * Told of every effective change a write makes to a team table's item, inside the command's
 * transaction: what keeps the table's secondary indexes and its change stream. A write that leaves
 * the item as it was is no change (DynamoDB Streams writes no record for it either).
 */
@FunctionalInterface
public interface ItemChanges {
  /**
   * @param before the item before, {@code null} when it was created
   * @param after the item after, {@code null} when it was deleted
   */
  void changed(Map<String, AttributeValue> before, Map<String, AttributeValue> after);

  /** Nobody to tell. */
  ItemChanges NONE = (before, after) -> {};

  /** Tells {@code this}, then {@code next}. */
  default ItemChanges andThen(ItemChanges next) {
    return (before, after) -> {
      changed(before, after);
      next.changed(before, after);
    };
  }
}
