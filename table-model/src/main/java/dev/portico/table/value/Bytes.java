package dev.portico.table.value;

import java.util.Arrays;
import java.util.Base64;

/**
 * An immutable byte string (a B value, or a member of a BS), ordered as DynamoDB orders binary
 * values: unsigned bytes, then length.
 */
public final class Bytes implements Comparable<Bytes> {
  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Bytes of(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  /**
   * Decodes standard base64 (the wire form of B in DynamoDB JSON).
   *
   * @throws IllegalArgumentException when the text is not base64
   */
  public static Bytes fromBase64(String base64) {
    return new Bytes(Base64.getDecoder().decode(base64));
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  public byte at(int index) {
    return bytes[index];
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public boolean startsWith(Bytes prefix) {
    return bytes.length >= prefix.bytes.length
        && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
  }

  /** True when {@code part} occurs anywhere in these bytes. */
  public boolean contains(Bytes part) {
    outer:
    for (int i = 0; i + part.bytes.length <= bytes.length; i++) {
      for (int j = 0; j < part.bytes.length; j++) {
        if (bytes[i + j] != part.bytes[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return base64();
  }
}
