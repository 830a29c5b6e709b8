package dev.portico.table.expression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.table.key.KeyEncoding;
import dev.portico.table.key.KeyRange;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyConditionTest {
  static final KeySchema SCHEMA = new KeySchema("pk", KeyType.S, "sk", KeyType.N);
  static final AttributeValue PK = AttributeValue.s("user#1");

  /** Sort keys in key order, around the bounds the conditions below use. */
  static final List<Long> SORT_KEYS = List.of(-5L, 0L, 1L, 2L, 3L, 4L, 5L, 10L, 99L);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          pk = :pk                                 | -5 0 1 2 3 4 5 10 99
          :pk = pk                                 | -5 0 1 2 3 4 5 10 99
          pk = :pk AND sk = :two                   | 2
          pk = :pk AND sk < :two                   | -5 0 1
          pk = :pk AND sk <= :two                  | -5 0 1 2
          pk = :pk AND sk > :two                   | 3 4 5 10 99
          pk = :pk AND sk >= :two                  | 2 3 4 5 10 99
          pk = :pk AND :two < sk                   | 3 4 5 10 99
          pk = :pk AND :two >= sk                  | -5 0 1 2
          pk = :pk AND sk BETWEEN :two AND :five   | 2 3 4 5
          pk = :pk AND sk BETWEEN :two AND :two    | 2
          sk BETWEEN :two AND :five AND #p = :pk   | 2 3 4 5
          (pk = :pk) and (sk > :five)              | 10 99
          pk = :pk AND sk < :minus                 | ''
          """)
  void selectsTheSortKeysOfThePartitionAsItsRangeDoes(String expression, String expected) {
    KeyCondition condition = KeyCondition.parse(expression, attributes(), SCHEMA);
    assertEquals(PK, condition.partition());
    List<Long> matching =
        SORT_KEYS.stream().filter(k -> condition.matches(AttributeValue.n(k))).toList();
    assertEquals(expected, String.join(" ", matching.stream().map(String::valueOf).toList()));
    for (long k : SORT_KEYS) {
      boolean inRange = condition.range().contains(KeyEncoding.encode(PK, AttributeValue.n(k)));
      assertEquals(matching.contains(k), inRange, expression + " on " + k);
    }
    // other partitions are outside the range, before and after it
    for (String other : List.of("user#", "user#0", "user#10", "user#2")) {
      byte[] key = KeyEncoding.encode(AttributeValue.s(other), AttributeValue.n(2));
      assertFalse(condition.range().contains(key), other);
    }
  }

  @Test
  void aPartitionKeyConditionAloneScansThePartition() {
    KeyCondition condition = KeyCondition.parse("pk = :pk", attributes(), SCHEMA);
    assertNull(condition.sort());
    byte[] prefix = KeyEncoding.partitionPrefix(PK);
    assertArrayEquals(prefix, condition.range().start());
    assertEquals(KeyRange.withPrefix(prefix), condition.range());
    assertTrue(condition.matches(Map.of("pk", PK, "sk", AttributeValue.n(7)), SCHEMA));
    assertFalse(
        condition.matches(Map.of("pk", AttributeValue.s("x"), "sk", AttributeValue.n(7)), SCHEMA));
  }

  @Test
  void beginsWithSelectsStringAndBinaryPrefixes() {
    for (KeyType type : List.of(KeyType.S, KeyType.B)) {
      KeySchema schema = new KeySchema("pk", KeyType.S, "sk", type);
      KeyCondition condition =
          KeyCondition.parse(
              "pk = :pk AND begins_with(sk, :prefix)",
              ExpressionAttributes.of(null, Map.of(":pk", PK, ":prefix", typed(type, "ab"))),
              schema);
      for (String sk : List.of("a", "ab", "ab\0", "ab\0\0", "abc", "ab\u00ff", "ac", "b", "aa")) {
        AttributeValue value = typed(type, sk);
        boolean expected = sk.startsWith("ab");
        assertEquals(expected, condition.matches(value), type + " " + sk);
        assertEquals(
            expected, condition.range().contains(KeyEncoding.encode(PK, value)), type + " " + sk);
      }
    }
  }

  @Test
  void beginsWithAPrefixEndingInAZeroByteOrFfByte() {
    KeySchema schema = new KeySchema("pk", KeyType.S, "sk", KeyType.B);
    for (byte[] prefix : List.of(new byte[] {1, 0}, new byte[] {1, (byte) 0xFF})) {
      KeyCondition condition =
          KeyCondition.parse(
              "pk = :pk AND begins_with(sk, :prefix)",
              ExpressionAttributes.of(null, Map.of(":pk", PK, ":prefix", AttributeValue.b(prefix))),
              schema);
      for (byte[] sk :
          List.of(
              new byte[] {1},
              new byte[] {1, 0},
              new byte[] {1, 0, 0},
              new byte[] {1, 0, 1},
              new byte[] {1, 1},
              new byte[] {1, (byte) 0xFF},
              new byte[] {1, (byte) 0xFF, 0},
              new byte[] {2})) {
        AttributeValue value = AttributeValue.b(sk);
        boolean expected = sk.length >= prefix.length && sk[0] == prefix[0] && sk[1] == prefix[1];
        assertEquals(expected, condition.matches(value));
        assertEquals(expected, condition.range().contains(KeyEncoding.encode(PK, value)));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          pk = :pk OR sk = :two                    | Invalid operator used in KeyConditionExpression: OR
          NOT pk = :pk                             | Invalid operator used in KeyConditionExpression: NOT
          pk IN (:pk)                              | Invalid operator used in KeyConditionExpression: IN
          pk <> :pk                                | Invalid operator used in KeyConditionExpression: <>
          pk = :pk AND attribute_exists(sk)        | Invalid operator used in KeyConditionExpression: attribute_exists
          pk = :pk AND attribute_not_exists(sk)    | Invalid operator used in KeyConditionExpression: attribute_not_exists
          pk = :pk AND attribute_type(sk, :N)      | Invalid operator used in KeyConditionExpression: attribute_type
          pk = :pk AND contains(sk, :two)          | Invalid operator used in KeyConditionExpression: contains
          pk = :pk AND size(sk) > :two             | KeyConditionExpressions cannot contain nested operations
          pk = :pk AND :two BETWEEN sk AND :five   | Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand
          begins_with(:pk, pk)                     | Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand
          pk = sk                                  | Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition
          pk = :pk AND sk BETWEEN sk AND :five     | Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition
          pk.a = :pk                               | KeyConditionExpressions cannot have conditions on nested attributes
          pk = :pk AND sk[0] = :two                | KeyConditionExpressions cannot have conditions on nested attributes
          :pk = :pk                                | Invalid condition in KeyConditionExpression: No key attribute specified
          pk = :pk AND pk = :pk                    | KeyConditionExpressions must only contain one condition per key
          pk = :pk AND sk > :two AND sk < :five    | KeyConditionExpressions must only contain one condition per key
          sk = :two                                | Query condition missed key schema element: pk
          pk > :pk                                 | Query key condition not supported
          begins_with(pk, :pk)                     | Query key condition not supported
          pk BETWEEN :pk AND :pk                   | Query key condition not supported
          pk = :pk AND other = :two                | Query key condition not supported
          pk = :two                                | One or more parameter values were invalid: Condition parameter type does not match schema type
          pk = :pk AND sk = :pk                    | One or more parameter values were invalid: Condition parameter type does not match schema type
          pk = :pk AND sk BETWEEN :pk AND :pk      | One or more parameter values were invalid: Condition parameter type does not match schema type
          pk = :pk AND begins_with(sk, :pk)        | One or more parameter values were invalid: Condition parameter type does not match schema type
          pk = :pk AND begins_with(sk, :two)       | Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N
          pk = :pk AND sk BETWEEN :five AND :two   | Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:2}
          pk = :pk AND sk >                        | Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "k AND sk >"; expected an attribute name, #name or :value
          pk = :nope                               | Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope
          """)
  void refusesWhatDynamoDbRefusesWithItsMessage(String expression, String message) {
    assertEquals(
        message,
        assertThrows(
                InvalidValueException.class,
                () -> KeyCondition.parse(expression, attributes(), SCHEMA))
            .getMessage());
  }

  @Test
  void refusesEmptyKeyValuesAsDynamoDbDoes() {
    KeySchema schema = new KeySchema("pk", KeyType.S, "sk", KeyType.S);
    ExpressionAttributes attributes =
        ExpressionAttributes.of(null, Map.of(":pk", PK, ":empty", AttributeValue.s("")));
    assertThrows(
        InvalidValueException.class,
        () -> KeyCondition.parse("pk = :pk AND sk > :empty", attributes, schema));
  }

  @Test
  void aTableWithoutSortKeyTakesThePartitionKeyOnly() {
    KeySchema schema = KeySchema.of("pk", KeyType.S);
    assertEquals(PK, KeyCondition.parse("pk = :pk", attributes(), schema).partition());
    assertEquals(
        "Query key condition not supported",
        assertThrows(
                InvalidValueException.class,
                () -> KeyCondition.parse("pk = :pk AND sk = :two", attributes(), schema))
            .getMessage());
  }

  static ExpressionAttributes attributes() {
    return ExpressionAttributes.of(
        Map.of("#p", "pk"),
        Map.of(
            ":pk", PK,
            ":two", AttributeValue.n(2),
            ":five", AttributeValue.n(5),
            ":minus", AttributeValue.n(-5),
            ":N", AttributeValue.s("N")));
  }

  static AttributeValue typed(KeyType type, String text) {
    return type == KeyType.S
        ? AttributeValue.s(text)
        : AttributeValue.b(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
