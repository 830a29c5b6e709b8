package dev.portico.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionRequest;
import dev.portico.table.api.DynamoException;
import dev.portico.table.catalog.IndexEntries;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a REST query's parameters into the Query it runs, and the partition it belongs to. */
class TableQueryTest {
  static final TableDefinition FILES =
      new TableDefinition(
          "Files", new KeySchema("owner", KeyType.B, "size", KeyType.N), null, null, 1, List.of());

  static TableDefinition tables(String name) {
    if (name.equals("Files")) {
      return FILES;
    }
    throw DynamoException.tableNotFound(name);
  }

  static FunctionRequest query(String table, Map<String, String> params) {
    return new FunctionRequest(
        "2.0",
        TableQuery.ROUTE,
        "/tables/" + table + "/items",
        "",
        Map.of(),
        params,
        Map.of("table", table),
        Map.of(),
        null,
        false,
        null);
  }

  static int status(Map<String, String> params) {
    return assertThrows(
            ItemValidation.Invalid.class,
            () -> TableQuery.parse(query("Files", params), TableQueryTest::tables))
        .status;
  }

  @Test
  void keysGivenAsTextShouldBeTypedAsTheTablesKeys() throws Exception {
    TableQuery query =
        TableQuery.parse(
            query("Files", Map.of("key", "AAH/", "sort_ge", "10", "sort_le", "1e3")),
            TableQueryTest::tables);
    assertEquals(
        IndexEntries.commandKey("Files", AttributeValue.b(new byte[] {0, 1, (byte) 0xff})),
        query.commandKey(),
        "routed as the DynamoDB API routes the same key");
  }

  @Test
  void badParametersShouldBeRefusedWithTheirStatus() {
    assertEquals(400, status(Map.of()));
    assertEquals(400, status(Map.of("key", "not base64!")));
    assertEquals(400, status(Map.of("key", "AA", "sort_gt", "ten")));
    assertEquals(400, status(Map.of("key", "AA", "sort", "1", "sort_begins_with", "1")));
    assertEquals(400, status(Map.of("key", "AA", "limit", "1001")));
    assertEquals(400, status(Map.of("key", "AA", "forward", "backwards")));
    assertEquals(400, status(Map.of("key", "AA", "cursor", "!!")));
    assertEquals(400, status(Map.of("key", "AA", "index", "bySize")));
    ItemValidation.Invalid unknown =
        assertThrows(
            ItemValidation.Invalid.class,
            () -> TableQuery.parse(query("Nope", Map.of("key", "a")), TableQueryTest::tables));
    assertEquals(404, unknown.status);
    assertTrue(unknown.getMessage().contains("Nope"), unknown.getMessage());
  }
}
