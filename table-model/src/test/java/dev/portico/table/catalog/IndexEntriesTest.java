package dev.portico.table.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.table.expression.ExpressionAttributes;
import dev.portico.table.expression.KeyCondition;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexEntriesTest {
  static final KeySchema TABLE = KeySchema.of("id", KeyType.S);
  static final IndexDefinition BY_AUTHOR =
      new IndexDefinition(
          "byAuthor",
          new KeySchema("author", KeyType.S, "published", KeyType.N),
          "KEYS_ONLY",
          null);

  static Map<String, AttributeValue> post(String id, String author, long published) {
    return Map.of(
        "id", AttributeValue.s(id),
        "author", AttributeValue.s(author),
        "published", AttributeValue.n(published),
        "body", AttributeValue.s("..."));
  }

  @Test
  void commandsOnTheBundledTableShouldBeKeyedAsItsRestApiKeysThem() {
    assertEquals("c-1", IndexEntries.commandKey("customers", AttributeValue.s("c-1")));
    String team = IndexEntries.commandKey("Orders", AttributeValue.s("c-1"));
    assertTrue(team.startsWith("Orders\u0000"), team);
    assertFalse(
        IndexEntries.commandKey("customers", "byName", AttributeValue.s("c-1")).equals("c-1"),
        "index commands keep the table-and-index key");
  }

  @Test
  void entriesShouldSortByIndexKeyThenByTheItemsKey() {
    List<byte[]> entries = new ArrayList<>();
    entries.add(IndexEntries.entryKey(BY_AUTHOR, TABLE, post("b", "ann", 10)));
    entries.add(IndexEntries.entryKey(BY_AUTHOR, TABLE, post("a", "ann", 10)));
    entries.add(IndexEntries.entryKey(BY_AUTHOR, TABLE, post("c", "ann", 9)));
    entries.add(IndexEntries.entryKey(BY_AUTHOR, TABLE, post("d", "ann", 100)));
    entries.sort(Arrays::compareUnsigned);
    List<byte[]> expected =
        List.of(
            IndexEntries.entryKey(BY_AUTHOR, TABLE, post("c", "ann", 9)),
            IndexEntries.entryKey(BY_AUTHOR, TABLE, post("a", "ann", 10)),
            IndexEntries.entryKey(BY_AUTHOR, TABLE, post("b", "ann", 10)),
            IndexEntries.entryKey(BY_AUTHOR, TABLE, post("d", "ann", 100)));
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(Arrays.equals(expected.get(i), entries.get(i)), "position " + i);
    }
  }

  @Test
  void aKeyConditionsRangeShouldHoldEveryEntryOfTheIndexKeysItNames() {
    byte[] ten = IndexEntries.entryKey(BY_AUTHOR, TABLE, post("a", "ann", 10));
    byte[] eleven = IndexEntries.entryKey(BY_AUTHOR, TABLE, post("a", "ann", 11));
    byte[] bob = IndexEntries.entryKey(BY_AUTHOR, TABLE, post("a", "bob", 10));
    Map<String, AttributeValue> values =
        Map.of(":a", AttributeValue.s("ann"), ":t", AttributeValue.n(10));
    for (String op : List.of("=", "<=", ">=")) {
      var range =
          KeyCondition.parse(
                  "author = :a AND published " + op + " :t",
                  ExpressionAttributes.of(null, values),
                  BY_AUTHOR.key())
              .range();
      assertTrue(range.contains(ten), op);
      assertFalse(range.contains(bob), op);
      assertEquals(op.equals(">="), range.contains(eleven), op);
    }
    var after =
        KeyCondition.parse(
                "author = :a AND published > :t",
                ExpressionAttributes.of(null, values),
                BY_AUTHOR.key())
            .range();
    assertFalse(after.contains(ten));
    assertTrue(after.contains(eleven));
  }

  @Test
  void projectionsShouldCarryTheKeysAndWhatTheyInclude() {
    var item = post("a", "ann", 10);
    assertEquals(
        Map.of(
            "id", item.get("id"), "author", item.get("author"), "published", item.get("published")),
        BY_AUTHOR.project(item, TABLE));
    var include =
        new IndexDefinition(
            "i", KeySchema.of("author", KeyType.S), "INCLUDE", List.of("body", "nope"));
    assertEquals(
        Map.of("id", item.get("id"), "author", item.get("author"), "body", item.get("body")),
        include.project(item, TABLE));
    assertEquals(
        item, new IndexDefinition("all", BY_AUTHOR.key(), "ALL", null).project(item, TABLE));
    assertFalse(
        BY_AUTHOR.covers(Map.of("id", AttributeValue.s("x"), "author", AttributeValue.s("y"))));
  }

  @Test
  void anIndexKeyOfAnotherTypeShouldBeRefused() {
    var table = new TableDefinition("Posts", TABLE, null, null, 0, List.of(BY_AUTHOR));
    InvalidValueException refused =
        assertThrows(
            InvalidValueException.class,
            () ->
                IndexEntries.check(
                    table,
                    Map.of("id", AttributeValue.s("x"), "published", AttributeValue.s("y"))));
    assertEquals(
        "One or more parameter values were invalid: Type mismatch for Index Key published"
            + " Expected: N Actual: S IndexName: byAuthor",
        refused.getMessage());
    IndexEntries.check(table, Map.<String, AttributeValue>of("id", AttributeValue.s("x")));
  }
}
