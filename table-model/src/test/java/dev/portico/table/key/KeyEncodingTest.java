package dev.portico.table.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEncodingTest {
  @Test
  void numbersSortNumericallyNotAsText() {
    assertOrdered(
        n("-1E+125"),
        n("-100"),
        n("-99.5"),
        n("-10"),
        n("-2"),
        n("-1.5"),
        n("-1"),
        n("-0.5"),
        n("-1E-130"),
        n("0"),
        n("1E-130"),
        n("0.05"),
        n("0.5"),
        n("1"),
        n("1.05"),
        n("1.5"),
        n("2"),
        n("9"),
        n("10"),
        n("10.5"),
        n("100"),
        n("12345678901234567890123456789012345678"),
        n("1E+125"),
        n("9.9999999999999999999999999999999999999E+125"));
  }

  @Test
  void binarySortsByUnsignedBytesThenLength() {
    assertOrdered(
        b(0x00),
        b(0x00, 0x00),
        b(0x00, 0x01),
        b(0x01),
        b(0x01, 0x00),
        b(0x7F),
        b(0x80),
        b(0xFE, 0xFF),
        b(0xFF),
        b(0xFF, 0x00),
        b(0xFF, 0xFF));
  }

  @Test
  void stringsSortByTheirUtf8Bytes() {
    // UTF-16 order would put U+FF5E before U+1F600 (its surrogate D83D is smaller); UTF-8 does not
    assertOrdered(s("A"), s("Z"), s("a"), s("ab"), s("b"), s("é"), s("\uFF5E"), s("\uD83D\uDE00"));
    assertOrdered(s("a"), s("a\0"), s("a\0b"), s("a\u0001"));
  }

  @Test
  void sortKeysOrderWithinAPartitionAndPartitionsNeverInterleave() {
    assertOrdered(
        List.of(
            KeyEncoding.encode(s("a"), n("-5")),
            KeyEncoding.encode(s("a"), n("2")),
            KeyEncoding.encode(s("a"), n("10")),
            KeyEncoding.encode(s("a\0"), n("-100")),
            KeyEncoding.encode(s("ab"), n("-100"))));
    byte[] prefix = KeyEncoding.partitionPrefix(s("a"));
    assertTrue(startsWith(KeyEncoding.encode(s("a"), n("10")), prefix));
    assertTrue(!startsWith(KeyEncoding.encode(s("ab"), n("10")), prefix));
    assertTrue(!startsWith(KeyEncoding.encode(s("a\0"), n("10")), prefix));
    assertTrue(
        !startsWith(KeyEncoding.encode(n("12"), n("1")), KeyEncoding.partitionPrefix(n("1"))));
  }

  @Test
  void decodesWhatItEncodes() {
    List<AttributeValue> key = List.of(b(0, 0xFF, 0, 1), n("-123.456E-7"));
    assertEquals(
        key, KeyEncoding.decode(KeyEncoding.encode(key.get(0), key.get(1)), KeyType.B, KeyType.N));
    assertEquals(List.of(s("x\0y")), KeyEncoding.decode(KeyEncoding.encode(s("x\0y")), KeyType.S));
    assertEquals(List.of(n("0")), KeyEncoding.decode(KeyEncoding.encode(n("-0.0")), KeyType.N));
  }

  @Test
  void equalNumbersHaveOneEncoding() {
    assertArrayEquals(KeyEncoding.encode(n("1.50")), KeyEncoding.encode(n("15E-1")));
  }

  @Test
  void refusesKeysDynamoDbRefuses() {
    assertThrows(InvalidValueException.class, () -> KeyEncoding.encode(s("")));
    assertThrows(InvalidValueException.class, () -> KeyEncoding.encode(s("a"), b()));
    assertThrows(InvalidValueException.class, () -> KeyEncoding.encode(AttributeValue.Bool.TRUE));
    KeyEncoding.encode(s("x".repeat(2048)), s("y".repeat(1024)));
    InvalidValueException tooLong =
        assertThrows(InvalidValueException.class, () -> KeyEncoding.encode(s("x".repeat(2049))));
    assertEquals(
        "One or more parameter values were invalid: Size of partition key 2049 bytes exceeds the"
            + " limit of 2048 bytes",
        tooLong.getMessage());
    assertThrows(InvalidValueException.class, () -> KeyEncoding.encode(s("x"), s("é".repeat(513))));
  }

  static void assertOrdered(AttributeValue... values) {
    List<byte[]> keys = new ArrayList<>();
    for (AttributeValue value : values) {
      keys.add(KeyEncoding.encode(value));
    }
    assertOrdered(keys);
  }

  static void assertOrdered(List<byte[]> keys) {
    for (int i = 1; i < keys.size(); i++) {
      assertTrue(
          Arrays.compareUnsigned(keys.get(i - 1), keys.get(i)) < 0,
          "key " + (i - 1) + " sorts before key " + i);
    }
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static AttributeValue s(String value) {
    return AttributeValue.s(value);
  }

  static AttributeValue n(String value) {
    return AttributeValue.n(value);
  }

  static AttributeValue b(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return AttributeValue.b(bytes);
  }
}
