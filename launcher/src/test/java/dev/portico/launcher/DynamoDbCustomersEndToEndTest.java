package dev.portico.launcher;

import static dev.portico.launcher.FirstRequestEndToEndTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Topics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The bundled customers table through both APIs at once, on a real broker: an item written with the
 * REST API's plain JSON reads as typed values through the AWS SDK, and one written with typed
 * values reads as plain JSON through the REST API; updates, conditions, deletes, Query and a
 * paginated Scan meet the same items; every write through the DynamoDB API leaves its record on the
 * customers change stream, with the item's version counting on.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class DynamoDbCustomersEndToEndTest {
  TestKafka kafka;
  String prefix;
  Suite suite;
  DynamoDbClient dynamo;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    this.kafka = kafka;
    this.prefix = kafka.freshPrefix();
    suite =
        new Suite(kafka.bootstrapServers(), prefix, stateDir, 10_000)
            .with("PORTICO_CUSTOMER_TTL_ATTRIBUTE", "expires_at")
            .start();
    dynamo = suite.dynamoClient();
  }

  @AfterAll
  void stopSuite() {
    dynamo.close();
    suite.close();
  }

  HttpResponse<String> rest(String method, String id, String body, String... headers) {
    String path = id == null ? "/prod/customer" : "/prod/customer/" + id;
    return Http.request(method, suite.url(path), body, headers);
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  static Map<String, AttributeValue> key(String id) {
    return Map.of("customer_id", s(id));
  }

  Map<String, AttributeValue> get(String id) {
    return dynamo.getItem(b -> b.tableName("customers").key(key(id)).consistentRead(true)).item();
  }

  @Test
  void anItemWrittenAsPlainJsonShouldReadAsTypedValues() {
    HttpResponse<String> created =
        rest(
            "POST",
            null,
            "{\"customer_id\":\"plain-1\",\"name\":\"Kim\",\"visits\":3,\"balance\":12.50,"
                + "\"vip\":true,\"nickname\":null,\"tags\":[\"a\",1],"
                + "\"address\":{\"city\":\"Seoul\",\"zip\":\"04524\"}}");
    assertEquals(201, created.statusCode(), created.body());

    Map<String, AttributeValue> item = get("plain-1");
    assertEquals(s("plain-1"), item.get("customer_id"));
    assertEquals(s("Kim"), item.get("name"));
    assertEquals(n("3"), item.get("visits"));
    assertEquals(n("12.5"), item.get("balance"));
    assertEquals(AttributeValue.fromBool(true), item.get("vip"));
    assertEquals(AttributeValue.fromNul(true), item.get("nickname"));
    assertEquals(AttributeValue.fromL(List.of(s("a"), n("1"))), item.get("tags"));
    assertEquals(
        AttributeValue.fromM(Map.of("city", s("Seoul"), "zip", s("04524"))), item.get("address"));
    assertEquals(8, item.size());
  }

  @Test
  void anItemWrittenAsTypedValuesShouldReadAsPlainJson() throws Exception {
    dynamo.putItem(
        b ->
            b.tableName("customers")
                .item(
                    Map.of(
                        "customer_id", s("typed-1"),
                        "name", s("Lee"),
                        "balance", n("12345678901234567890.5"),
                        "orders", AttributeValue.fromL(List.of(n("1"), n("2.50"))),
                        "prefs",
                            AttributeValue.fromM(Map.of("mail", AttributeValue.fromBool(false))),
                        "note", AttributeValue.fromNul(true))));
    HttpResponse<String> read = rest("GET", "typed-1", null);
    assertEquals(200, read.statusCode(), read.body());
    assertEquals(
        json(
            "{\"customer_id\":\"typed-1\",\"name\":\"Lee\",\"balance\":12345678901234567890.5,"
                + "\"orders\":[1,2.5],\"prefs\":{\"mail\":false},\"note\":null}"),
        json(read.body()));
    assertEquals("\"1\"", read.headers().firstValue("etag").orElseThrow());
  }

  @Test
  void bothApisShouldUpdateTheSameItemUnderTheSameConditions() throws Exception {
    try (ChangeStream stream =
        new ChangeStream(kafka.bootstrapServers(), Topics.CUSTOMER_CHANGES.name(prefix))) {
      assertEquals(201, rest("PUT", "both-1", "{\"visits\":1,\"name\":\"Park\"}").statusCode());
      var updated =
          dynamo.updateItem(
              b ->
                  b.tableName("customers")
                      .key(key("both-1"))
                      .updateExpression("SET visits = visits + :one, tier = :gold REMOVE #n")
                      .conditionExpression("attribute_exists(customer_id) AND visits = :one")
                      .expressionAttributeNames(Map.of("#n", "name"))
                      .expressionAttributeValues(Map.of(":one", n("1"), ":gold", s("gold")))
                      .returnValues(ReturnValue.ALL_NEW));
      assertEquals(n("2"), updated.attributes().get("visits"));
      HttpResponse<String> read = rest("GET", "both-1", null);
      assertEquals(
          json("{\"customer_id\":\"both-1\",\"visits\":2,\"tier\":\"gold\"}"), json(read.body()));
      assertEquals("\"2\"", read.headers().firstValue("etag").orElseThrow(), "version 2");

      assertThrows(
          ConditionalCheckFailedException.class,
          () ->
              dynamo.deleteItem(
                  b ->
                      b.tableName("customers")
                          .key(key("both-1"))
                          .conditionExpression("visits > :ten")
                          .expressionAttributeValues(Map.of(":ten", n("10")))));
      HttpResponse<String> refused =
          rest("DELETE", "both-1", null, "x-condition", "tier = 'silver'");
      assertEquals(409, refused.statusCode(), refused.body());
      assertEquals(200, rest("GET", "both-1", null).statusCode(), "kept by both refusals");

      var deleted =
          dynamo.deleteItem(
              b -> b.tableName("customers").key(key("both-1")).returnValues(ReturnValue.ALL_OLD));
      assertEquals(s("gold"), deleted.attributes().get("tier"));
      assertEquals(404, rest("GET", "both-1", null).statusCode());
      assertTrue(get("both-1").isEmpty());

      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> ItemOperationsEndToEndTest.of(stream.awaitRecords(1), "both-1").size() >= 3);
      List<JsonNode> records = ItemOperationsEndToEndTest.of(stream.awaitRecords(3), "both-1");
      assertEquals(
          List.of("INSERT", "MODIFY", "REMOVE"),
          records.stream().map(r -> r.get("eventName").asText()).toList());
      assertEquals(
          json("{\"customer_id\":\"both-1\",\"visits\":2,\"tier\":\"gold\"}"),
          records.get(1).at("/dynamodb/NewImage"),
          "the DynamoDB API's update, as plain JSON on the customers stream");
    }
  }

  @Test
  void queryAndAPaginatedScanShouldSeeTheRestApisItems() {
    Set<String> written = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      String id = "scan-" + i;
      assertEquals(201, rest("PUT", id, "{\"batch\":\"scan\",\"i\":" + i + "}").statusCode());
      written.add(id);
    }
    var query =
        dynamo.query(
            b ->
                b.tableName("customers")
                    .keyConditionExpression("customer_id = :id")
                    .expressionAttributeValues(Map.of(":id", s("scan-7"))));
    assertEquals(1, query.count());
    assertEquals(n("7"), query.items().get(0).get("i"));

    Set<String> seen = new HashSet<>();
    List<Integer> pages = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page =
          dynamo.scan(
              b ->
                  b.tableName("customers")
                      .limit(5)
                      .filterExpression("#b = :scan")
                      .expressionAttributeNames(Map.of("#b", "batch"))
                      .expressionAttributeValues(Map.of(":scan", s("scan")))
                      .exclusiveStartKey(from));
      page.items().forEach(item -> assertTrue(seen.add(item.get("customer_id").s()), "once"));
      pages.add(page.count());
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    assertEquals(written, seen);
    assertTrue(pages.size() > 1, "paginated: " + pages);
  }

  @Test
  void whatPlainJsonCannotHoldShouldBeRefusedAndChangeNothing() throws Exception {
    assertEquals(201, rest("PUT", "refused-1", "{\"visits\":1}").statusCode());
    DynamoDbException set =
        assertThrows(
            DynamoDbException.class,
            () ->
                dynamo.putItem(
                    b ->
                        b.tableName("customers")
                            .item(
                                Map.of(
                                    "customer_id", s("refused-1"),
                                    "tags", AttributeValue.fromSs(List.of("a", "b"))))));
    assertEquals("ValidationException", set.awsErrorDetails().errorCode());
    assertTrue(set.getMessage().contains("no SS values (at tags)"), set.getMessage());
    DynamoDbException binary =
        assertThrows(
            DynamoDbException.class,
            () ->
                dynamo.updateItem(
                    b ->
                        b.tableName("customers")
                            .key(key("refused-1"))
                            .updateExpression("SET photos = :photos")
                            .expressionAttributeValues(
                                Map.of(
                                    ":photos",
                                    AttributeValue.fromL(
                                        List.of(
                                            AttributeValue.fromB(
                                                SdkBytes.fromUtf8String("x"))))))));
    assertEquals("ValidationException", binary.awsErrorDetails().errorCode());
    assertTrue(binary.getMessage().contains("no B values (at photos[0])"), binary.getMessage());
    DynamoDbException longKey =
        assertThrows(
            DynamoDbException.class,
            () -> dynamo.putItem(b -> b.tableName("customers").item(key("k".repeat(256)))));
    assertTrue(longKey.getMessage().contains("1 to 255 characters"), longKey.getMessage());
    assertEquals(
        json("{\"customer_id\":\"refused-1\",\"visits\":1}"),
        json(rest("GET", "refused-1", null).body()));
  }

  static AttributeDefinition defined(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  static KeySchemaElement keyElement(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  JsonNode restQuery(String table, String query) throws Exception {
    HttpResponse<String> response =
        Http.get(suite.url("/prod/tables/" + table + "/items?" + query));
    assertEquals(200, response.statusCode(), query + ": " + response.body());
    return json(response.body());
  }

  static List<Integer> placedAt(JsonNode page) {
    List<Integer> out = new ArrayList<>();
    page.get("items").forEach(item -> out.add(item.get("placed_at").asInt()));
    return out;
  }

  @Test
  void theRestApiShouldQueryAnyTableAsPlainJson() throws Exception {
    dynamo.createTable(
        b ->
            b.tableName("RestOrders")
                .attributeDefinitions(
                    defined("customer", ScalarAttributeType.S),
                    defined("placed_at", ScalarAttributeType.N),
                    defined("status", ScalarAttributeType.S))
                .keySchema(
                    keyElement("customer", KeyType.HASH), keyElement("placed_at", KeyType.RANGE))
                .globalSecondaryIndexes(
                    g ->
                        g.indexName("byStatus")
                            .keySchema(
                                keyElement("status", KeyType.HASH),
                                keyElement("placed_at", KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL)))
                .billingMode("PAY_PER_REQUEST"));
    for (int i = 1; i <= 6; i++) {
      int placed = i;
      dynamo.putItem(
          b ->
              b.tableName("RestOrders")
                  .item(
                      Map.of(
                          "customer", s("ada"),
                          "placed_at", n(Integer.toString(placed)),
                          "total", n(placed + "0.5"),
                          "status", s(placed % 2 == 0 ? "paid" : "new"))));
    }
    dynamo.putItem(
        b ->
            b.tableName("RestOrders")
                .item(Map.of("customer", s("bob"), "placed_at", n("1"), "status", s("paid"))));

    JsonNode between = restQuery("RestOrders", "key=ada&sort_ge=2&sort_le=4&forward=false");
    assertEquals(List.of(4, 3, 2), placedAt(between));
    assertEquals(
        json("{\"customer\":\"ada\",\"placed_at\":4,\"total\":40.5,\"status\":\"paid\"}"),
        between.get("items").get(0));
    assertFalse(between.has("nextCursor"), "a page that did not stop at its limit");
    assertEquals(List.of(5, 6), placedAt(restQuery("RestOrders", "key=ada&sort_gt=4")));

    List<Integer> paged = new ArrayList<>();
    String cursor = "";
    int pages = 0;
    do {
      JsonNode page = restQuery("RestOrders", "key=ada&limit=4&cursor=" + cursor);
      paged.addAll(placedAt(page));
      pages++;
      cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
    } while (cursor != null);
    assertEquals(List.of(1, 2, 3, 4, 5, 6), paged);
    assertTrue(pages >= 2, "paginated");

    JsonNode filtered = restQuery("RestOrders", "key=ada&filter=total%20%3E%2030");
    assertEquals(List.of(3, 4, 5, 6), placedAt(filtered));
    assertEquals(6, filtered.get("scannedCount").asInt());
    assertEquals(4, filtered.get("count").asInt());

    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> placedAt(restQuery("RestOrders", "index=byStatus&key=paid")).size() == 4);
    assertEquals(List.of(1, 2, 4, 6), placedAt(restQuery("RestOrders", "index=byStatus&key=paid")));

    assertEquals(201, rest("PUT", "rest-q-1", "{\"visits\":2}").statusCode());
    assertEquals(
        json(
            "{\"items\":[{\"customer_id\":\"rest-q-1\",\"visits\":2}],\"count\":1,\"scannedCount\":1}"),
        restQuery("customers", "key=rest-q-1"));
  }

  @Test
  void aBadRestQueryShouldGetAPreciseError() {
    dynamo.createTable(
        b ->
            b.tableName("RestErrors")
                .attributeDefinitions(
                    defined("customer", ScalarAttributeType.S),
                    defined("placed_at", ScalarAttributeType.N))
                .keySchema(
                    keyElement("customer", KeyType.HASH), keyElement("placed_at", KeyType.RANGE))
                .billingMode("PAY_PER_REQUEST"));
    Map<String, String> refusals =
        Map.of(
            "RestErrors/items?sort=1", "400 Missing the query parameter key",
            "Nope/items?key=a", "404 Requested resource not found",
            "RestErrors/items?key=a&sort_gt=abc",
                "400 The query parameter sort_gt must be a number",
            "RestErrors/items?key=a&sort_gt=1&sort_lt=5", "400 Give one sort key condition",
            "RestErrors/items?key=a&cursor=bm9wZQ", "400 Invalid cursor",
            "RestErrors/items?key=a&limit=0", "400 limit must be an integer from 1 to 1000",
            "RestErrors/items?key=a&index=byX",
                "400 The table does not have the specified index: byX",
            "RestErrors/items?key=a&filter=total%20%3E%3E%201", "400 Invalid filter expression",
            "customers/items?key=a&sort=1", "400 The key has no sort key");
    refusals.forEach(
        (query, expected) -> {
          HttpResponse<String> response = Http.get(suite.url("/prod/tables/" + query));
          String status = expected.substring(0, 3);
          assertEquals(
              status, Integer.toString(response.statusCode()), query + ": " + response.body());
          assertTrue(
              response.body().contains(expected.substring(4)), query + ": " + response.body());
        });
  }

  @Test
  void theBundledTableShouldBeListedAndDescribedButNotRecreatedOrDeleted() {
    assertTrue(dynamo.listTables().tableNames().contains("customers"));
    var table = dynamo.describeTable(b -> b.tableName("customers")).table();
    assertEquals("customer_id", table.keySchema().get(0).attributeName());
    assertEquals(1, table.keySchema().size());
    assertFalse(table.hasGlobalSecondaryIndexes() && !table.globalSecondaryIndexes().isEmpty());
    assertThrows(
        ResourceInUseException.class,
        () ->
            dynamo.createTable(
                b ->
                    b.tableName("customers")
                        .attributeDefinitions(
                            AttributeDefinition.builder()
                                .attributeName("id")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                        .keySchema(
                            KeySchemaElement.builder()
                                .attributeName("id")
                                .keyType(KeyType.HASH)
                                .build())
                        .billingMode("PAY_PER_REQUEST")));
    DynamoDbException deleted =
        assertThrows(
            DynamoDbException.class, () -> dynamo.deleteTable(b -> b.tableName("customers")));
    assertEquals("ValidationException", deleted.awsErrorDetails().errorCode());
    assertTrue(dynamo.listTables().tableNames().contains("customers"));
  }
}
