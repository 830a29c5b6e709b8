package dev.portico.table.value;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An item's size as DynamoDB counts it against its 400 KB limit: attribute names and values in
 * bytes (strings as UTF-8, binary as is, a number about one byte per two digits plus one, 1 byte
 * for a boolean or null, 3 bytes of overhead per map or list and 1 per element).
 */
public final class ItemSize {
  /** DynamoDB's limit: 400 KB. */
  public static final int MAX_BYTES = 400 * 1024;

  private ItemSize() {}

  public static long of(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8(e.getKey()) + of(e.getValue());
    }
    return size;
  }

  /**
   * @throws InvalidValueException over {@link #MAX_BYTES}
   */
  public static void check(Map<String, AttributeValue> item) {
    if (of(item) > MAX_BYTES) {
      throw new InvalidValueException("Item size has exceeded the maximum allowed size");
    }
  }

  static long of(AttributeValue value) {
    if (value instanceof AttributeValue.S s) {
      return utf8(s.value());
    } else if (value instanceof AttributeValue.N n) {
      return number(n.text());
    } else if (value instanceof AttributeValue.B b) {
      return b.value().length();
    } else if (value instanceof AttributeValue.M m) {
      return 3 + m.value().size() + of(m.value());
    } else if (value instanceof AttributeValue.L l) {
      return 3 + l.value().stream().mapToLong(v -> 1 + of(v)).sum();
    } else if (value instanceof AttributeValue.SS ss) {
      return ss.value().stream().mapToLong(ItemSize::utf8).sum();
    } else if (value instanceof AttributeValue.NS ns) {
      return ns.value().stream().mapToLong(n -> number(n.toPlainString())).sum();
    } else if (value instanceof AttributeValue.BS bs) {
      return bs.value().stream().mapToLong(Bytes::length).sum();
    }
    return 1; // BOOL, NULL
  }

  private static long number(String text) {
    long digits = text.chars().filter(Character::isDigit).count();
    return (digits + 1) / 2 + 1;
  }

  private static long utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
