package dev.portico.table.expression;

import dev.portico.table.value.AttributeValue;

/**
 * DynamoDB's order between two values: numbers numerically, strings by their UTF-8 bytes (which is
 * code point order, not Java's UTF-16 order), binary by unsigned bytes. Values of other types, or
 * of two different types, have no order.
 */
final class Order {
  private Order() {}

  /** True when values of this type can be ordered: N, S and B. */
  static boolean isOrdered(AttributeValue value) {
    return value instanceof AttributeValue.N
        || value instanceof AttributeValue.S
        || value instanceof AttributeValue.B;
  }

  /** The sign of a compared to b, or {@code null} when they have no order. */
  static Integer compare(AttributeValue a, AttributeValue b) {
    if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof AttributeValue.S x && b instanceof AttributeValue.S y) {
      return codePoints(x.value(), y.value());
    }
    if (a instanceof AttributeValue.B x && b instanceof AttributeValue.B y) {
      return x.value().compareTo(y.value());
    }
    return null;
  }

  static int codePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
