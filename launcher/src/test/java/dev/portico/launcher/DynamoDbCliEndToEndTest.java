package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DynamoDB API with the real AWS CLI (Debian's {@code awscli}) as a team runs it: a table with
 * a sort key created, described, listed and deleted; items put, read, updated under a condition
 * (and refused when it fails) and deleted; a key-range Query both ways; a batch written from a
 * request file; and Scan pagination that the CLI drives itself ({@code --page-size}, {@code
 * --max-items} with {@code NextToken}/{@code --starting-token}). docs/dynamodb.md prints the same
 * commands.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
@Tag("integration")
class DynamoDbCliEndToEndTest {
  Suite suite;
  AwsCli aws;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir, @TempDir Path home) {
    suite = new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000).start();
    aws = new AwsCli(suite.dynamoUrl(), "local", "local", home);
  }

  @AfterAll
  void stopSuite() {
    suite.close();
  }

  /** The create-table command of docs/dynamodb.md: a customer's orders, by number. */
  JsonNode createOrders(String table) {
    return aws.json(
        "create-table",
        "--table-name",
        table,
        "--attribute-definitions",
        "AttributeName=customer,AttributeType=S",
        "AttributeName=order_no,AttributeType=N",
        "--key-schema",
        "AttributeName=customer,KeyType=HASH",
        "AttributeName=order_no,KeyType=RANGE",
        "--billing-mode",
        "PAY_PER_REQUEST");
  }

  static String order(String customer, int orderNo, int total) {
    return "{\"customer\":{\"S\":\""
        + customer
        + "\"},\"order_no\":{\"N\":\""
        + orderNo
        + "\"},\"total\":{\"N\":\""
        + total
        + "\"}}";
  }

  /** Writes the orders with one batch-write-item from a request file. */
  void batchWrite(String table, List<String> items) {
    String requests =
        "{\""
            + table
            + "\":["
            + String.join(
                ",", items.stream().map(i -> "{\"PutRequest\":{\"Item\":" + i + "}}").toList())
            + "]}";
    Path file = aws.file(table + "-batch.json", requests);
    JsonNode written = aws.json("batch-write-item", "--request-items", "file://" + file);
    assertEquals(0, written.path("UnprocessedItems").size(), written.toString());
  }

  static List<String> numbers(JsonNode items, String attribute) {
    return StreamSupport.stream(items.spliterator(), false)
        .map(i -> i.path(attribute).path("N").asText())
        .toList();
  }

  static Set<String> keys(JsonNode items) {
    Set<String> keys = new HashSet<>();
    for (JsonNode item : items) {
      assertTrue(
          keys.add(
              item.path("customer").path("S").asText()
                  + "/"
                  + item.path("order_no").path("N").asText()),
          "returned twice: " + item);
    }
    return keys;
  }

  @Test
  void aTableShouldBeCreatedUsedAndDeletedWithTheCli() {
    JsonNode created = createOrders("Orders").path("TableDescription");
    assertEquals("Orders", created.path("TableName").asText());
    assertEquals("order_no", created.path("KeySchema").path(1).path("AttributeName").asText());
    assertEquals("RANGE", created.path("KeySchema").path(1).path("KeyType").asText());

    JsonNode described = aws.json("describe-table", "--table-name", "Orders").path("Table");
    assertEquals("ACTIVE", described.path("TableStatus").asText());
    assertEquals("customer", described.path("KeySchema").path(0).path("AttributeName").asText());
    assertEquals("HASH", described.path("KeySchema").path(0).path("KeyType").asText());
    List<String> types = new ArrayList<>();
    described
        .path("AttributeDefinitions")
        .forEach(
            d ->
                types.add(
                    d.path("AttributeName").asText() + ":" + d.path("AttributeType").asText()));
    assertEquals(Set.of("customer:S", "order_no:N"), Set.copyOf(types));
    assertTrue(
        names(aws.json("list-tables").path("TableNames")).contains("Orders"), "listed: Orders");

    aws.json(
        "put-item",
        "--table-name",
        "Orders",
        "--item",
        "{\"customer\":{\"S\":\"ada\"},\"order_no\":{\"N\":\"1\"},\"total\":{\"N\":\"42\"},"
            + "\"status\":{\"S\":\"new\"}}");
    String key = "{\"customer\":{\"S\":\"ada\"},\"order_no\":{\"N\":\"1\"}}";
    JsonNode item =
        aws.json("get-item", "--table-name", "Orders", "--key", key, "--consistent-read")
            .path("Item");
    assertEquals("42", item.path("total").path("N").asText());
    assertEquals("new", item.path("status").path("S").asText());

    String[] payIfNew = {
      "update-item",
      "--table-name",
      "Orders",
      "--key",
      key,
      "--update-expression",
      "SET #s = :paid, total = total + :tip",
      "--condition-expression",
      "#s = :new",
      "--expression-attribute-names",
      "{\"#s\":\"status\"}",
      "--expression-attribute-values",
      "{\":paid\":{\"S\":\"paid\"},\":new\":{\"S\":\"new\"},\":tip\":{\"N\":\"3\"}}",
      "--return-values",
      "ALL_NEW"
    };
    JsonNode paid = aws.json(payIfNew).path("Attributes");
    assertEquals("paid", paid.path("status").path("S").asText());
    assertEquals("45", paid.path("total").path("N").asText());

    AwsCli.Result refused = aws.dynamodb(payIfNew);
    assertNotEquals(0, refused.exitCode(), refused.stdout());
    assertTrue(
        refused.stderr().contains("ConditionalCheckFailedException"),
        "stderr names the exception: " + refused.stderr());
    assertTrue(refused.stdout().isBlank(), refused.stdout());
    JsonNode unchanged =
        aws.json("get-item", "--table-name", "Orders", "--key", key, "--consistent-read")
            .path("Item");
    assertEquals("45", unchanged.path("total").path("N").asText());
    assertEquals("paid", unchanged.path("status").path("S").asText());

    JsonNode old =
        aws.json(
                "delete-item", "--table-name", "Orders", "--key", key, "--return-values", "ALL_OLD")
            .path("Attributes");
    assertEquals("45", old.path("total").path("N").asText());
    assertFalse(
        aws.json("get-item", "--table-name", "Orders", "--key", key, "--consistent-read")
            .has("Item"),
        "deleted");

    JsonNode deleted = aws.json("delete-table", "--table-name", "Orders");
    assertEquals("Orders", deleted.path("TableDescription").path("TableName").asText());
    AwsCli.Result gone = aws.dynamodb("describe-table", "--table-name", "Orders");
    assertNotEquals(0, gone.exitCode());
    assertTrue(gone.stderr().contains("ResourceNotFoundException"), gone.stderr());
    assertFalse(names(aws.json("list-tables").path("TableNames")).contains("Orders"));
  }

  static List<String> names(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  @Test
  void queryShouldReadAKeyRangeInEitherOrder() {
    createOrders("Ledger");
    List<String> items = new ArrayList<>();
    IntStream.rangeClosed(1, 12).forEach(n -> items.add(order("ada", n, n * 10)));
    items.add(order("bob", 3, 7));
    batchWrite("Ledger", items);

    String[] range = {
      "query",
      "--table-name",
      "Ledger",
      "--key-condition-expression",
      "customer = :c AND order_no BETWEEN :lo AND :hi",
      "--expression-attribute-values",
      "{\":c\":{\"S\":\"ada\"},\":lo\":{\"N\":\"2\"},\":hi\":{\"N\":\"10\"}}"
    };
    JsonNode forward = aws.json(range);
    assertEquals(9, forward.path("Count").asInt());
    // N sort keys order numerically: 10 after 9.
    assertEquals(
        List.of("2", "3", "4", "5", "6", "7", "8", "9", "10"),
        numbers(forward.path("Items"), "order_no"));

    List<String> backwardArgs = new ArrayList<>(List.of(range));
    backwardArgs.add("--no-scan-index-forward");
    JsonNode backward = aws.json(backwardArgs.toArray(String[]::new));
    assertEquals(
        List.of("10", "9", "8", "7", "6", "5", "4", "3", "2"),
        numbers(backward.path("Items"), "order_no"));
    assertEquals(
        List.of("100", "90", "80", "70", "60", "50", "40", "30", "20"),
        numbers(backward.path("Items"), "total"));
  }

  @Test
  void scanShouldPageAsTheCliAsks() {
    createOrders("Pages");
    List<String> items = new ArrayList<>();
    IntStream.rangeClosed(1, 4).forEach(n -> items.add(order("ada", n, n)));
    IntStream.rangeClosed(1, 3).forEach(n -> items.add(order("bob", n, n)));
    IntStream.rangeClosed(1, 2).forEach(n -> items.add(order("cy", n, n)));
    batchWrite("Pages", items);
    Set<String> all =
        Set.of("ada/1", "ada/2", "ada/3", "ada/4", "bob/1", "bob/2", "bob/3", "cy/1", "cy/2");

    // One page of 2 items, as the server answers it: LastEvaluatedKey says where to go on.
    JsonNode first = aws.json("scan", "--table-name", "Pages", "--limit", "2", "--no-paginate");
    assertEquals(2, first.path("Items").size(), first.toString());
    assertTrue(first.path("LastEvaluatedKey").has("customer"), first.toString());

    // Pages of 2 items: the CLI follows LastEvaluatedKey to the end and prints them as one.
    JsonNode everything = aws.json("scan", "--table-name", "Pages", "--page-size", "2");
    assertEquals(9, everything.path("Count").asInt());
    assertEquals(all, keys(everything.path("Items")));
    assertFalse(everything.has("NextToken"), everything.toString());

    // At most 4 items per call: NextToken carries on where the previous call stopped, also in the
    // middle of a page of 3.
    Set<String> seen = new HashSet<>();
    String token = null;
    int calls = 0;
    do {
      List<String> args =
          new ArrayList<>(
              List.of("scan", "--table-name", "Pages", "--page-size", "3", "--max-items", "4"));
      if (token != null) {
        args.addAll(List.of("--starting-token", token));
      }
      JsonNode page = aws.json(args.toArray(String[]::new));
      calls++;
      JsonNode pageItems = page.path("Items");
      assertTrue(pageItems.size() <= 4, "at most 4: " + pageItems);
      for (String k : keys(pageItems)) {
        assertTrue(seen.add(k), "seen on an earlier call: " + k);
      }
      token = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
      assertTrue(token == null || pageItems.size() == 4, "a full call before a NextToken");
    } while (token != null && calls < 10);
    assertEquals(all, seen);
    assertEquals(3, calls, "4 + 4 + 1 items");
  }
}
