package dev.portico.table.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import dev.portico.table.value.ItemSize;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimaryKeyTest {
  static final KeySchema ORDERS = new KeySchema("customer", KeyType.S, "placed", KeyType.N);

  @Test
  void anItemsKeyShouldBeItsKeyAttributes() {
    Map<String, AttributeValue> item =
        Map.of(
            "customer", AttributeValue.s("c1"),
            "placed", AttributeValue.n(7),
            "total", AttributeValue.n(3));
    PrimaryKey key = PrimaryKey.ofItem(ORDERS, item);
    assertEquals(
        Map.of("customer", AttributeValue.s("c1"), "placed", AttributeValue.n(7)),
        key.attributes(ORDERS));
    assertArrayEquals(
        KeyEncoding.encode(AttributeValue.s("c1"), AttributeValue.n(7)), key.encoded());
    assertArrayEquals(key.encoded(), PrimaryKey.ofKey(ORDERS, key.attributes(ORDERS)).encoded());
  }

  @Test
  void shouldRefuseWithDynamoDbsMessages() {
    assertEquals(
        "One or more parameter values were invalid: Missing the key placed in the item",
        assertThrows(
                InvalidValueException.class,
                () -> PrimaryKey.ofItem(ORDERS, Map.of("customer", AttributeValue.s("c1"))))
            .getMessage());
    assertEquals(
        "One or more parameter values were invalid: Type mismatch for key placed expected: N"
            + " actual: S",
        assertThrows(
                InvalidValueException.class,
                () ->
                    PrimaryKey.ofItem(
                        ORDERS,
                        Map.of(
                            "customer", AttributeValue.s("c1"), "placed", AttributeValue.s("x"))))
            .getMessage());
    for (Map<String, AttributeValue> key :
        java.util.List.<Map<String, AttributeValue>>of(
            Map.of("customer", AttributeValue.s("c1")),
            Map.of(
                "customer", AttributeValue.s("c1"),
                "placed", AttributeValue.n(1),
                "extra", AttributeValue.n(1)),
            Map.of("customer", AttributeValue.n(1), "placed", AttributeValue.n(1)))) {
      assertEquals(
          "The provided key element does not match the schema",
          assertThrows(InvalidValueException.class, () -> PrimaryKey.ofKey(ORDERS, key))
              .getMessage());
    }
  }

  @Test
  void anItemShouldBeAtMost400Kb() {
    String name = "a";
    AttributeValue fits = AttributeValue.s("x".repeat(ItemSize.MAX_BYTES - name.length()));
    ItemSize.check(Map.of(name, fits));
    AttributeValue over = AttributeValue.s("x".repeat(ItemSize.MAX_BYTES - name.length() + 1));
    assertEquals(
        "Item size has exceeded the maximum allowed size",
        assertThrows(InvalidValueException.class, () -> ItemSize.check(Map.of(name, over)))
            .getMessage());
  }
}
