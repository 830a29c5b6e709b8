package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
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
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Global secondary indexes through the AWS SDK for Java v2: entries follow puts, updates that move
 * an item to another index key, and deletes (eventually, so the test waits for them); projections;
 * Query with pagination and Scan on an index; DynamoDB's refusals; an index added to a table that
 * has items is backfilled, and a deleted one is gone.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class DynamoDbIndexEndToEndTest {
  Suite suite;
  DynamoDbClient dynamo;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    suite = new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000).start();
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

  static AttributeValue n(int value) {
    return AttributeValue.fromN(Integer.toString(value));
  }

  static AttributeDefinition defined(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  void post(String id, String author, int published, String title) {
    var item = new java.util.HashMap<String, AttributeValue>();
    item.put("post_id", s(id));
    item.put("title", s(title));
    item.put("body", s("text of " + id));
    item.put("published", n(published));
    if (author != null) {
      item.put("author", s(author));
    }
    dynamo.putItem(b -> b.tableName("Posts").item(item));
  }

  /** The post ids the byAuthor index has for {@code author}, in index order. */
  List<String> byAuthor(String author) {
    return dynamo
        .queryPaginator(
            b ->
                b.tableName("Posts")
                    .indexName("byAuthor")
                    .keyConditionExpression("author = :a")
                    .expressionAttributeValues(Map.of(":a", s(author)))
                    .limit(1))
        .items()
        .stream()
        .map(i -> i.get("post_id").s())
        .toList();
  }

  @Test
  void indexesShouldFollowWritesAndBeBackfilledWhenAdded() {
    dynamo.createTable(
        b ->
            b.tableName("Posts")
                .attributeDefinitions(
                    defined("post_id", ScalarAttributeType.S),
                    defined("author", ScalarAttributeType.S),
                    defined("published", ScalarAttributeType.N))
                .keySchema(key("post_id", KeyType.HASH))
                .globalSecondaryIndexes(
                    GlobalSecondaryIndex.builder()
                        .indexName("byAuthor")
                        .keySchema(key("author", KeyType.HASH), key("published", KeyType.RANGE))
                        .projection(
                            Projection.builder()
                                .projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes("title")
                                .build())
                        .build(),
                    GlobalSecondaryIndex.builder()
                        .indexName("byDate")
                        .keySchema(key("published", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .build()));
    assertEquals(
        2, dynamo.describeTable(b -> b.tableName("Posts")).table().globalSecondaryIndexes().size());

    post("p1", "ann", 30, "third");
    post("p2", "ann", 10, "first");
    post("p3", "ann", 20, "second");
    post("p4", "bob", 10, "bob's");
    post("p5", null, 40, "anonymous");
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertEquals(List.of("p2", "p3", "p1"), byAuthor("ann")));

    var entry =
        dynamo
            .query(
                b ->
                    b.tableName("Posts")
                        .indexName("byAuthor")
                        .keyConditionExpression("author = :a AND published > :after")
                        .expressionAttributeValues(Map.of(":a", s("bob"), ":after", n(5))))
            .items();
    assertEquals(
        List.of(
            Map.of(
                "post_id", s("p4"), "author", s("bob"), "published", n(10), "title", s("bob's"))),
        entry);

    // An update that moves p1 to bob, a delete, and an item that leaves the index.
    dynamo.updateItem(
        b ->
            b.tableName("Posts")
                .key(Map.of("post_id", s("p1")))
                .updateExpression("SET author = :b")
                .expressionAttributeValues(Map.of(":b", s("bob"))));
    dynamo.deleteItem(b -> b.tableName("Posts").key(Map.of("post_id", s("p2"))));
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () -> {
              assertEquals(List.of("p3"), byAuthor("ann"));
              assertEquals(List.of("p4", "p1"), byAuthor("bob"));
            });

    Set<String> dated =
        dynamo
            .scanPaginator(b -> b.tableName("Posts").indexName("byDate").limit(2))
            .items()
            .stream()
            .map(i -> i.get("post_id").s())
            .collect(Collectors.toSet());
    assertEquals(Set.of("p1", "p3", "p4", "p5"), dated);

    DynamoDbException wrongType =
        assertThrows(
            DynamoDbException.class,
            () ->
                dynamo.putItem(
                    b -> b.tableName("Posts").item(Map.of("post_id", s("p9"), "author", n(1)))));
    assertEquals("ValidationException", wrongType.awsErrorDetails().errorCode());
    assertTrue(wrongType.awsErrorDetails().errorMessage().contains("IndexName: byAuthor"));
    DynamoDbException consistent =
        assertThrows(
            DynamoDbException.class,
            () ->
                dynamo.query(
                    b ->
                        b.tableName("Posts")
                            .indexName("byAuthor")
                            .consistentRead(true)
                            .keyConditionExpression("author = :a")
                            .expressionAttributeValues(Map.of(":a", s("bob")))));
    assertEquals(
        "Consistent reads are not supported on global secondary indexes",
        consistent.awsErrorDetails().errorMessage());

    // A new index on a table with items is backfilled; a deleted one is gone.
    dynamo.updateTable(
        b ->
            b.tableName("Posts")
                .attributeDefinitions(defined("title", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(
                    u ->
                        u.create(
                            c ->
                                c.indexName("byTitle")
                                    .keySchema(key("title", KeyType.HASH))
                                    .projection(p -> p.projectionType(ProjectionType.ALL)))));
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertEquals(
                    List.of(
                        Map.of(
                            "post_id",
                            s("p5"),
                            "title",
                            s("anonymous"),
                            "body",
                            s("text of p5"),
                            "published",
                            n(40))),
                    dynamo
                        .query(
                            b ->
                                b.tableName("Posts")
                                    .indexName("byTitle")
                                    .keyConditionExpression("title = :t")
                                    .expressionAttributeValues(Map.of(":t", s("anonymous"))))
                        .items()));
    dynamo.updateTable(
        b ->
            b.tableName("Posts")
                .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byDate"))));
    assertEquals(
        Set.of("byAuthor", "byTitle"),
        dynamo.describeTable(b -> b.tableName("Posts")).table().globalSecondaryIndexes().stream()
            .map(i -> i.indexName())
            .collect(Collectors.toSet()));
    assertThrows(
        DynamoDbException.class, () -> dynamo.scan(b -> b.tableName("Posts").indexName("byDate")));
  }
}
