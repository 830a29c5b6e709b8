package dev.portico.table.key;

import java.util.Arrays;

/**
 * A range of encoded keys ({@link KeyEncoding}) for a sorted store's scan: from {@code start}
 * (inclusive) to {@code end} (exclusive), both compared as unsigned bytes.
 */
public record KeyRange(byte[] start, byte[] end) {
  public KeyRange {
    start = start.clone();
    end = end.clone();
  }

  /** Every key that starts with {@code prefix}. */
  public static KeyRange withPrefix(byte[] prefix) {
    return new KeyRange(prefix, afterPrefix(prefix));
  }

  public boolean contains(byte[] key) {
    return Arrays.compareUnsigned(start, key) <= 0 && Arrays.compareUnsigned(key, end) < 0;
  }

  @Override
  public byte[] start() {
    return start.clone();
  }

  @Override
  public byte[] end() {
    return end.clone();
  }

  /** The smallest key greater than {@code key}: {@code key} followed by a 0x00 byte. */
  public static byte[] after(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}: the prefix without its
   * trailing 0xFF bytes, its last byte plus one. Encoded keys never start with 0xFF, so there is
   * always such a byte.
   */
  public static byte[] afterPrefix(byte[] prefix) {
    int last = prefix.length - 1;
    while (last >= 0 && prefix[last] == (byte) 0xFF) {
      last--;
    }
    if (last < 0) {
      throw new IllegalArgumentException("no key follows a prefix of 0xFF bytes only");
    }
    byte[] end = Arrays.copyOf(prefix, last + 1);
    end[last]++;
    return end;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRange other
        && Arrays.equals(start, other.start)
        && Arrays.equals(end, other.end);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
  }

  @Override
  public String toString() {
    return "KeyRange[" + Arrays.toString(start) + ", " + Arrays.toString(end) + ")";
  }
}
