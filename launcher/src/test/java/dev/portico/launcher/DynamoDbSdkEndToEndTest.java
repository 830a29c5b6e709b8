package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The DynamoDB API with DynamoDB's own client, the AWS SDK for Java v2, pointed at an edge and a
 * table service on a real broker: a team's table with a sort key, created at run time, every item
 * operation, Query and Scan with pagination, batches, the errors by their exception classes, and a
 * table deleted and created again.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class DynamoDbSdkEndToEndTest {
  static final String ADMIN_TOKEN = "admin-secret";
  Suite suite;
  DynamoDbClient dynamo;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    suite =
        new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000)
            .with("PORTICO_EDGE_ADMIN_TOKEN", ADMIN_TOKEN)
            .start();
    dynamo = suite.dynamoClient();
  }

  @AfterAll
  void stopSuite() {
    dynamo.close();
    suite.close();
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  void createOrders(String name) {
    dynamo.createTable(
        b ->
            b.tableName(name)
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("customer")
                        .attributeType(ScalarAttributeType.S)
                        .build(),
                    AttributeDefinition.builder()
                        .attributeName("placed_at")
                        .attributeType(ScalarAttributeType.N)
                        .build())
                .keySchema(
                    KeySchemaElement.builder()
                        .attributeName("customer")
                        .keyType(KeyType.HASH)
                        .build(),
                    KeySchemaElement.builder()
                        .attributeName("placed_at")
                        .keyType(KeyType.RANGE)
                        .build())
                .billingMode("PAY_PER_REQUEST"));
  }

  void putOrder(String table, String customer, int placedAt, int total) {
    dynamo.putItem(
        b ->
            b.tableName(table)
                .item(
                    Map.of(
                        "customer", s(customer),
                        "placed_at", n(Integer.toString(placedAt)),
                        "total", n(Integer.toString(total)),
                        "lines", AttributeValue.fromL(List.of(s("pen"), s("ink"))))));
  }

  @Test
  void aTeamTableShouldServeEveryItemOperationThroughTheSdk() {
    createOrders("Orders");
    var described = dynamo.describeTable(b -> b.tableName("Orders")).table();
    assertEquals(TableStatus.ACTIVE, described.tableStatus());
    assertEquals("placed_at", described.keySchema().get(1).attributeName());
    assertTrue(dynamo.listTables().tableNames().contains("Orders"));
    assertThrows(ResourceInUseException.class, () -> createOrders("Orders"));

    for (int i = 1; i <= 5; i++) {
      putOrder("Orders", "c1", i, i * 10);
    }
    putOrder("Orders", "c2", 7, 70);
    putOrder("Orders", "c2", -3, 5);

    var key = Map.of("customer", s("c1"), "placed_at", n("2"));
    var got = dynamo.getItem(b -> b.tableName("Orders").key(key).consistentRead(true)).item();
    assertEquals(n("20"), got.get("total"));
    assertEquals(List.of(s("pen"), s("ink")), got.get("lines").l());
    var projected =
        dynamo
            .getItem(
                b ->
                    b.tableName("Orders")
                        .key(key)
                        .projectionExpression("#t, lines[1]")
                        .expressionAttributeNames(Map.of("#t", "total")))
            .item();
    assertEquals(
        Map.of("total", n("20"), "lines", AttributeValue.fromL(List.of(s("ink")))), projected);

    var updated =
        dynamo.updateItem(
            b ->
                b.tableName("Orders")
                    .key(key)
                    .updateExpression("SET total = total + :d, lines = list_append(lines, :more)")
                    .conditionExpression("total = :old")
                    .expressionAttributeValues(
                        Map.of(
                            ":d", n("5"),
                            ":old", n("20"),
                            ":more", AttributeValue.fromL(List.of(s("paper")))))
                    .returnValues(ReturnValue.UPDATED_NEW));
    assertEquals(n("25"), updated.attributes().get("total"));
    assertEquals(3, updated.attributes().get("lines").l().size());

    ConditionalCheckFailedException failed =
        assertThrows(
            ConditionalCheckFailedException.class,
            () ->
                dynamo.updateItem(
                    b ->
                        b.tableName("Orders")
                            .key(key)
                            .updateExpression("SET total = :zero")
                            .conditionExpression("total = :old")
                            .expressionAttributeValues(Map.of(":zero", n("0"), ":old", n("20")))
                            .returnValuesOnConditionCheckFailure(
                                ReturnValuesOnConditionCheckFailure.ALL_OLD)));
    assertEquals(n("25"), failed.item().get("total"));
    assertEquals(n("25"), dynamo.getItem(b -> b.tableName("Orders").key(key)).item().get("total"));

    var deleted =
        dynamo.deleteItem(
            b ->
                b.tableName("Orders")
                    .key(Map.of("customer", s("c2"), "placed_at", n("7")))
                    .returnValues(ReturnValue.ALL_OLD));
    assertEquals(n("70"), deleted.attributes().get("total"));
    assertFalse(
        dynamo
            .getItem(
                b -> b.tableName("Orders").key(Map.of("customer", s("c2"), "placed_at", n("7"))))
            .hasItem());
  }

  @Test
  void queryAndScanShouldPageAsDynamoDbDoes() {
    createOrders("Ledger");
    for (int i = 1; i <= 12; i++) {
      putOrder("Ledger", "q1", i, i);
    }
    for (int i = 0; i < 9; i++) {
      putOrder("Ledger", "other-" + i, 1, 100 + i);
    }
    var between =
        dynamo.query(
            b ->
                b.tableName("Ledger")
                    .keyConditionExpression("customer = :c AND placed_at BETWEEN :lo AND :hi")
                    .expressionAttributeValues(Map.of(":c", s("q1"), ":lo", n("3"), ":hi", n("10")))
                    .filterExpression("total > :min")
                    .expressionAttributeValues(
                        Map.of(":c", s("q1"), ":lo", n("3"), ":hi", n("10"), ":min", n("4"))));
    assertEquals(8, between.scannedCount());
    assertEquals(
        List.of("5", "6", "7", "8", "9", "10"),
        between.items().stream().map(i -> i.get("placed_at").n()).toList());

    // Numbers sort numerically (10 after 9), backwards when asked, across pages of 5.
    List<String> backwards =
        dynamo
            .queryPaginator(
                b ->
                    b.tableName("Ledger")
                        .keyConditionExpression("customer = :c")
                        .expressionAttributeValues(Map.of(":c", s("q1")))
                        .scanIndexForward(false)
                        .limit(5))
            .items()
            .stream()
            .map(i -> i.get("placed_at").n())
            .toList();
    assertEquals(List.of("12", "11", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1"), backwards);

    var count =
        dynamo.query(
            b ->
                b.tableName("Ledger")
                    .keyConditionExpression("customer = :c AND placed_at < :hi")
                    .expressionAttributeValues(Map.of(":c", s("q1"), ":hi", n("4")))
                    .select("COUNT"));
    assertEquals(3, count.count());
    assertFalse(count.hasItems());

    Set<String> seen = new HashSet<>();
    int pages = 0;
    for (var page : dynamo.scanPaginator(b -> b.tableName("Ledger").limit(4))) {
      pages++;
      for (var item : page.items()) {
        assertTrue(
            seen.add(item.get("customer").s() + "/" + item.get("placed_at").n()),
            "scanned twice: " + item);
      }
    }
    assertEquals(21, seen.size());
    assertTrue(pages >= 6, "pages of at most 4 items: " + pages);

    int segments = 3;
    Set<String> parallel = new HashSet<>();
    for (int segment = 0; segment < segments; segment++) {
      int s = segment;
      for (var item :
          dynamo
              .scanPaginator(b -> b.tableName("Ledger").segment(s).totalSegments(segments))
              .items()) {
        assertTrue(parallel.add(item.get("customer").s() + "/" + item.get("placed_at").n()));
      }
    }
    assertEquals(seen, parallel);
  }

  @Test
  void batchesShouldWriteAndReadEveryRequest() {
    createOrders("Batches");
    putOrder("Batches", "b0", 1, 1);
    var written =
        dynamo.batchWriteItem(
            b ->
                b.requestItems(
                    Map.of(
                        "Batches",
                        List.of(
                            put("b1", 1),
                            put("b2", 2),
                            put("b3", 3),
                            WriteRequest.builder()
                                .deleteRequest(
                                    d -> d.key(Map.of("customer", s("b0"), "placed_at", n("1"))))
                                .build()))));
    assertTrue(written.unprocessedItems().isEmpty());
    var read =
        dynamo.batchGetItem(
            b ->
                b.requestItems(
                    Map.of(
                        "Batches",
                        software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                            .keys(
                                List.of(
                                    Map.of("customer", s("b0"), "placed_at", n("1")),
                                    Map.of("customer", s("b1"), "placed_at", n("1")),
                                    Map.of("customer", s("b2"), "placed_at", n("2")),
                                    Map.of("customer", s("b3"), "placed_at", n("3"))))
                            .build())));
    assertTrue(read.unprocessedKeys().isEmpty());
    assertEquals(
        Set.of("b1", "b2", "b3"),
        read.responses().get("Batches").stream()
            .map(i -> i.get("customer").s())
            .collect(java.util.stream.Collectors.toSet()));

    DynamoDbException tooMany =
        assertThrows(
            DynamoDbException.class,
            () ->
                dynamo.batchWriteItem(
                    b ->
                        b.requestItems(
                            Map.of(
                                "Batches",
                                java.util.stream.IntStream.range(0, 26)
                                    .mapToObj(i -> put("many", i))
                                    .toList()))));
    assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
  }

  static WriteRequest put(String customer, int placedAt) {
    return WriteRequest.builder()
        .putRequest(
            PutRequest.builder()
                .item(
                    Map.of(
                        "customer",
                        s(customer),
                        "placed_at",
                        n(Integer.toString(placedAt)),
                        "total",
                        n("1")))
                .build())
        .build();
  }

  @Test
  void errorsShouldCarryDynamoDbsNamesAndADeletedTableItsItemsAway() {
    assertThrows(
        ResourceNotFoundException.class,
        () -> dynamo.getItem(b -> b.tableName("Missing").key(Map.of("id", s("1")))));
    createOrders("Short");
    DynamoDbException missingKey =
        assertThrows(
            DynamoDbException.class,
            () -> dynamo.putItem(b -> b.tableName("Short").item(Map.of("customer", s("x")))));
    assertEquals("ValidationException", missingKey.awsErrorDetails().errorCode());
    assertEquals(
        "One or more parameter values were invalid: Missing the key placed_at in the item",
        missingKey.awsErrorDetails().errorMessage());
    DynamoDbException badName =
        assertThrows(DynamoDbException.class, () -> dynamo.describeTable(b -> b.tableName("x")));
    assertEquals("ValidationException", badName.awsErrorDetails().errorCode());

    putOrder("Short", "gone", 1, 1);
    dynamo.deleteTable(b -> b.tableName("Short"));
    assertThrows(
        ResourceNotFoundException.class, () -> dynamo.describeTable(b -> b.tableName("Short")));
    assertThrows(ResourceNotFoundException.class, () -> putOrder("Short", "gone", 2, 2));
    createOrders("Short");
    assertEquals(0, dynamo.scan(b -> b.tableName("Short")).count());
  }

  java.net.http.HttpResponse<String> admin(String method, String path, String body) {
    return Http.request(
        method,
        "http://127.0.0.1:" + suite.edge.adminPort() + path,
        body,
        "authorization",
        "Bearer " + ADMIN_TOKEN,
        "content-type",
        "application/json");
  }

  @Test
  void theAdminApiShouldManageTheSameTables() throws Exception {
    var created =
        admin(
            "POST",
            "/tables",
            "{\"TableName\":\"Managed\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\","
                + "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\","
                + "\"KeyType\":\"HASH\"}]}");
    assertEquals(201, created.statusCode(), created.body());
    var table = FirstRequestEndToEndTest.json(created.body());
    assertEquals("Managed", table.path("TableName").asText());
    assertEquals("ACTIVE", table.path("TableStatus").asText());
    // The DynamoDB API sees it at once, and the admin API sees what the DynamoDB API made.
    dynamo.putItem(b -> b.tableName("Managed").item(Map.of("id", s("1"))));
    createOrders("ManagedToo");
    var listed = FirstRequestEndToEndTest.json(admin("GET", "/tables", null).body());
    List<String> names = new java.util.ArrayList<>();
    listed.path("tables").forEach(t -> names.add(t.path("TableName").asText()));
    assertTrue(names.containsAll(List.of("Managed", "ManagedToo")), names.toString());
    assertEquals(
        "placed_at",
        FirstRequestEndToEndTest.json(admin("GET", "/tables/ManagedToo", null).body())
            .at("/KeySchema/1/AttributeName")
            .asText());

    var duplicate =
        admin(
            "POST",
            "/tables",
            created.body().isEmpty()
                ? "{}"
                : "{\"TableName\":\"Managed\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}");
    assertEquals(409, duplicate.statusCode(), duplicate.body());
    var invalid = admin("POST", "/tables", "{\"TableName\":\"no\"}");
    assertEquals(400, invalid.statusCode(), invalid.body());
    assertEquals(404, admin("GET", "/tables/Nope", null).statusCode());
    assertEquals(
        401,
        Http.request("GET", "http://127.0.0.1:" + suite.edge.adminPort() + "/tables", null)
            .statusCode());

    var indexed =
        admin(
            "PATCH",
            "/tables/Managed",
            "{\"AttributeDefinitions\":[{\"AttributeName\":\"kind\",\"AttributeType\":\"S\"}],"
                + "\"GlobalSecondaryIndexUpdates\":[{\"Create\":{\"IndexName\":\"byKind\","
                + "\"KeySchema\":[{\"AttributeName\":\"kind\",\"KeyType\":\"HASH\"}],"
                + "\"Projection\":{\"ProjectionType\":\"ALL\"}}}]}");
    assertEquals(200, indexed.statusCode(), indexed.body());
    assertEquals(
        "byKind",
        dynamo
            .describeTable(b -> b.tableName("Managed"))
            .table()
            .globalSecondaryIndexes()
            .get(0)
            .indexName());

    assertEquals(
        "DISABLED",
        FirstRequestEndToEndTest.json(admin("GET", "/tables/Managed/ttl", null).body())
            .path("TimeToLiveStatus")
            .asText());
    var ttl =
        admin("PUT", "/tables/Managed/ttl", "{\"Enabled\":true,\"AttributeName\":\"expires\"}");
    assertEquals(200, ttl.statusCode(), ttl.body());
    assertEquals(
        "expires",
        dynamo
            .describeTimeToLive(b -> b.tableName("Managed"))
            .timeToLiveDescription()
            .attributeName());
    var again =
        admin("PUT", "/tables/Managed/ttl", "{\"Enabled\":true,\"AttributeName\":\"expires\"}");
    assertEquals(400, again.statusCode(), again.body());
    assertTrue(again.body().contains("TimeToLive is already enabled"), again.body());

    var deleted = admin("DELETE", "/tables/Managed", null);
    assertEquals(200, deleted.statusCode(), deleted.body());
    assertEquals(
        "DELETING", FirstRequestEndToEndTest.json(deleted.body()).path("TableStatus").asText());
    assertThrows(
        ResourceNotFoundException.class, () -> dynamo.describeTable(b -> b.tableName("Managed")));
  }
}
