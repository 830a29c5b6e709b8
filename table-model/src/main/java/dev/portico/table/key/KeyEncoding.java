package dev.portico.table.key;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.Bytes;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.Numbers;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An item's primary key as bytes whose unsigned order is DynamoDB's key order, so that a sorted
 * store (RocksDB) keeps a partition's items in sort-key order and a Query is a range scan: S by the
 * bytes of its UTF-8 form, N numerically, B by unsigned bytes then length. The partition key comes
 * first, then the sort key; each component is self-delimiting, so the items of one partition key
 * form one contiguous range that starts with {@link #partitionPrefix}.
 *
 * <p>S and B components: the bytes with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x01 (a shorter
 * value sorts before a longer one that extends it). N components: a sign byte (0x01 negative, 0x02
 * zero, 0x03 positive); for a positive number, the exponent of its leading digit plus 130 (one
 * byte, DynamoDB's range is 1E-130 to below 1E+126), then each significant digit as 0x01-0x0A, then
 * 0x00; a negative number is its absolute value's bytes complemented, which reverses their order.
 * These bytes follow {@code I table \0} in the table service's state (its {@code StateKeys}
 * layout), after the table name.
 */
public final class KeyEncoding {
  /** DynamoDB's limits on key values, in bytes of their UTF-8 (S) or raw (B) form. */
  public static final int MAX_PARTITION_KEY_BYTES = 2048;

  public static final int MAX_SORT_KEY_BYTES = 1024;

  private static final int NEGATIVE = 0x01;
  private static final int ZERO = 0x02;
  private static final int POSITIVE = 0x03;
  private static final int EXPONENT_BIAS = 130;

  private KeyEncoding() {}

  /** The key of an item in a table with a partition key only. */
  public static byte[] encode(AttributeValue partition) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    component(out, partition, "partition", MAX_PARTITION_KEY_BYTES);
    return out.toByteArray();
  }

  /** The key of an item in a table with a partition and a sort key. */
  public static byte[] encode(AttributeValue partition, AttributeValue sort) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    component(out, partition, "partition", MAX_PARTITION_KEY_BYTES);
    component(out, sort, "sort", MAX_SORT_KEY_BYTES);
    return out.toByteArray();
  }

  /** What every key with this partition key starts with (and no other key does). */
  public static byte[] partitionPrefix(AttributeValue partition) {
    return encode(partition);
  }

  /** The key values in {@code encoded}, one per type given (partition first). */
  public static List<AttributeValue> decode(byte[] encoded, KeyType... types) {
    List<AttributeValue> values = new ArrayList<>();
    int[] position = {0};
    for (KeyType type : types) {
      values.add(
          switch (type) {
            case S ->
                new AttributeValue.S(new String(bytes(encoded, position), StandardCharsets.UTF_8));
            case B -> new AttributeValue.B(Bytes.of(bytes(encoded, position)));
            case N -> new AttributeValue.N(number(encoded, position));
          });
    }
    if (position[0] != encoded.length) {
      throw new IllegalArgumentException("trailing bytes after the key components");
    }
    return values;
  }

  private static void component(
      ByteArrayOutputStream out, AttributeValue value, String role, int maxBytes) {
    if (value instanceof AttributeValue.S s) {
      bytes(out, s.value().getBytes(StandardCharsets.UTF_8), role, maxBytes);
    } else if (value instanceof AttributeValue.B b) {
      bytes(out, b.value().toArray(), role, maxBytes);
    } else if (value instanceof AttributeValue.N n) {
      number(out, n.value());
    } else {
      throw new InvalidValueException(
          "One or more parameter values were invalid: a "
              + role
              + " key must be of type S, N or B, not "
              + value.type());
    }
  }

  private static void bytes(ByteArrayOutputStream out, byte[] bytes, String role, int maxBytes) {
    if (bytes.length == 0) {
      throw new InvalidValueException(
          "One or more parameter values are not valid. The AttributeValue for a key attribute"
              + " cannot contain an empty value ("
              + role
              + " key)");
    }
    if (bytes.length > maxBytes) {
      throw new InvalidValueException(
          "One or more parameter values were invalid: Size of "
              + role
              + " key "
              + bytes.length
              + " bytes exceeds the limit of "
              + maxBytes
              + " bytes");
    }
    for (byte b : bytes) {
      out.write(b);
      if (b == 0) {
        out.write(0xFF);
      }
    }
    out.write(0x00);
    out.write(0x01);
  }

  private static byte[] bytes(byte[] in, int[] position) {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    int i = position[0];
    while (true) {
      if (i >= in.length) {
        throw new IllegalArgumentException("unterminated S or B key component");
      }
      if (in[i] != 0) {
        value.write(in[i++]);
      } else if (i + 1 < in.length && (in[i + 1] & 0xFF) == 0xFF) {
        value.write(0);
        i += 2;
      } else if (i + 1 < in.length && in[i + 1] == 0x01) {
        position[0] = i + 2;
        return value.toByteArray();
      } else {
        throw new IllegalArgumentException("bad escape in S or B key component");
      }
    }
  }

  private static void number(ByteArrayOutputStream out, BigDecimal canonical) {
    if (canonical.signum() == 0) {
      out.write(ZERO);
      return;
    }
    String digits = Numbers.digits(canonical);
    byte[] magnitude = new byte[digits.length() + 2];
    magnitude[0] = (byte) (Numbers.exponent(canonical) + EXPONENT_BIAS);
    for (int i = 0; i < digits.length(); i++) {
      magnitude[i + 1] = (byte) (digits.charAt(i) - '0' + 1);
    }
    magnitude[magnitude.length - 1] = 0x00;
    boolean negative = canonical.signum() < 0;
    out.write(negative ? NEGATIVE : POSITIVE);
    for (byte b : magnitude) {
      out.write(negative ? ~b : b);
    }
  }

  private static BigDecimal number(byte[] in, int[] position) {
    int i = position[0];
    int sign = in[i++];
    if (sign == ZERO) {
      position[0] = i;
      return BigDecimal.ZERO;
    }
    int flip = sign == NEGATIVE ? 0xFF : 0x00;
    int exponent = ((in[i++] ^ flip) & 0xFF) - EXPONENT_BIAS;
    StringBuilder digits = new StringBuilder();
    int b;
    while ((b = (in[i++] ^ flip) & 0xFF) != 0) {
      digits.append((char) ('0' + b - 1));
    }
    position[0] = i;
    // digits d1 d2 ... dk with the leading one at 10^exponent: unscaled d1..dk, scale k-1-exponent
    BigDecimal magnitude =
        new BigDecimal(new BigInteger(digits.toString()), digits.length() - 1 - exponent);
    return sign == NEGATIVE ? magnitude.negate() : magnitude;
  }
}
