package dev.portico.table.expression;

import dev.portico.table.key.KeyEncoding;
import dev.portico.table.key.KeyRange;
import dev.portico.table.value.AttributeValue;
import java.util.Arrays;

/**
 * The condition a Query's KeyConditionExpression puts on the sort key: {@code = < <= > >=} a value,
 * {@code BETWEEN low AND high}, or {@code begins_with} a prefix (S or B). Its values have the sort
 * key's type (the parser checked it), so DynamoDB's key order decides.
 *
 * @param high the upper bound of BETWEEN, {@code null} for the other operators
 */
public record SortKeyCondition(Operator operator, AttributeValue value, AttributeValue high) {

  /** The operators a sort key condition may use. */
  public enum Operator {
    EQ,
    LT,
    LE,
    GT,
    GE,
    BETWEEN,
    BEGINS_WITH
  }

  /** True when a sort key value satisfies the condition. */
  public boolean matches(AttributeValue sortKey) {
    Integer order = Order.compare(sortKey, value);
    if (order == null) {
      return false;
    }
    return switch (operator) {
      case EQ -> order == 0;
      case LT -> order < 0;
      case LE -> order <= 0;
      case GT -> order > 0;
      case GE -> order >= 0;
      case BETWEEN -> order >= 0 && Order.compare(sortKey, high) <= 0;
      case BEGINS_WITH ->
          sortKey instanceof AttributeValue.S s
              ? s.value().startsWith(((AttributeValue.S) value).value())
              : ((AttributeValue.B) sortKey).value().startsWith(((AttributeValue.B) value).value());
    };
  }

  /**
   * The encoded keys of {@code partition}'s items whose sort key satisfies the condition. Bounds
   * after a key are taken after every key it begins (not only after the key itself), so that the
   * range also holds an index's entries, whose keys go on with the table's key.
   */
  KeyRange range(AttributeValue partition) {
    byte[] all = KeyEncoding.partitionPrefix(partition);
    return switch (operator) {
      case EQ -> KeyRange.withPrefix(key(partition, value));
      case LT -> new KeyRange(all, key(partition, value));
      case LE -> new KeyRange(all, KeyRange.afterPrefix(key(partition, value)));
      case GT ->
          new KeyRange(KeyRange.afterPrefix(key(partition, value)), KeyRange.afterPrefix(all));
      case GE -> new KeyRange(key(partition, value), KeyRange.afterPrefix(all));
      case BETWEEN ->
          new KeyRange(key(partition, value), KeyRange.afterPrefix(key(partition, high)));
      case BEGINS_WITH -> {
        // an S or B component is its escaped bytes then 0x00 0x01: without the terminator, the
        // encoding of a prefix is a prefix of the encoding of every value it begins
        byte[] key = key(partition, value);
        yield KeyRange.withPrefix(Arrays.copyOf(key, key.length - 2));
      }
    };
  }

  private static byte[] key(AttributeValue partition, AttributeValue sort) {
    return KeyEncoding.encode(partition, sort);
  }
}
