package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Team tables' time to live and UpdateTable's StreamSpecification through the DynamoDB API, with
 * the AWS SDK for Java v2 against an edge and a table service on a real broker, sweeping every 200
 * ms: items whose TTL passed disappear (from the table and its index) with REMOVE records naming
 * the service, the others stay; TTL enabled on a table with expired items removes them; disabled,
 * it expires nothing; streams enabled, disabled and enabled again (a new stream).
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class TableTtlEndToEndTest {
  Suite suite;
  DynamoDbClient dynamo;
  DynamoDbStreamsClient streams;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    suite =
        new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000)
            .with("PORTICO_CUSTOMER_TTL_SWEEP_MS", "200")
            .start();
    dynamo = suite.dynamoClient();
    streams =
        DynamoDbStreamsClient.builder()
            .endpointOverride(URI.create(suite.dynamoUrl()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  void stopSuite() {
    streams.close();
    dynamo.close();
    suite.close();
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** A table keyed by {@code id}, with an index on {@code group} and a stream if {@code view}. */
  TableDescription create(String name, StreamViewType view) {
    return dynamo
        .createTable(
            b -> {
              b.tableName(name)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("id")
                          .attributeType(ScalarAttributeType.S)
                          .build(),
                      AttributeDefinition.builder()
                          .attributeName("group")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                  .globalSecondaryIndexes(
                      GlobalSecondaryIndex.builder()
                          .indexName("byGroup")
                          .keySchema(
                              KeySchemaElement.builder()
                                  .attributeName("group")
                                  .keyType(KeyType.HASH)
                                  .build())
                          .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                          .build())
                  .billingMode("PAY_PER_REQUEST");
              if (view != null) {
                b.streamSpecification(s -> s.streamEnabled(true).streamViewType(view));
              }
            })
        .tableDescription();
  }

  void put(String table, String id, AttributeValue expires) {
    Map<String, AttributeValue> item =
        expires == null
            ? Map.of("id", s(id), "group", s("g"))
            : Map.of("id", s(id), "group", s("g"), "expires", expires);
    dynamo.putItem(b -> b.tableName(table).item(item));
  }

  boolean exists(String table, String id) {
    return dynamo
        .getItem(b -> b.tableName(table).key(Map.of("id", s(id))).consistentRead(true))
        .hasItem();
  }

  List<String> inIndex(String table) {
    return dynamo
        .query(
            b ->
                b.tableName(table)
                    .indexName("byGroup")
                    .keyConditionExpression("#g = :g")
                    .expressionAttributeNames(Map.of("#g", "group"))
                    .expressionAttributeValues(Map.of(":g", s("g"))))
        .items()
        .stream()
        .map(i -> i.get("id").s())
        .sorted()
        .toList();
  }

  TimeToLiveDescription ttl(String table) {
    return dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
  }

  void enableTtl(String table, boolean enabled) {
    var answer =
        dynamo.updateTimeToLive(
            b ->
                b.tableName(table)
                    .timeToLiveSpecification(s -> s.enabled(enabled).attributeName("expires")));
    assertEquals(enabled, answer.timeToLiveSpecification().enabled());
    assertEquals("expires", answer.timeToLiveSpecification().attributeName());
  }

  /** Every record of the stream, each shard from TRIM_HORIZON to an empty page. */
  List<Record> records(String arn) {
    List<Record> all = new ArrayList<>();
    for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
      String iterator =
          streams
              .getShardIterator(
                  b ->
                      b.streamArn(arn)
                          .shardId(shard.shardId())
                          .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      while (true) {
        String from = iterator;
        var page = streams.getRecords(b -> b.shardIterator(from));
        all.addAll(page.records());
        iterator = page.nextShardIterator();
        if (page.records().isEmpty()) {
          break;
        }
      }
    }
    return all;
  }

  @Test
  void itemsWhoseTtlPassedShouldBeDeletedByTheServiceAndTheOthersStay() {
    String arn = create("Sessions", StreamViewType.NEW_AND_OLD_IMAGES).latestStreamArn();
    assertEquals(TimeToLiveStatus.DISABLED, ttl("Sessions").timeToLiveStatus());
    put("Sessions", "before-ttl", n(now() - 60)); // expired before TTL was enabled
    put("Sessions", "future", n(now() + 3600));
    put("Sessions", "none", null);
    put("Sessions", "text", s("1000"));
    put("Sessions", "user-deleted", null);
    dynamo.deleteItem(b -> b.tableName("Sessions").key(Map.of("id", s("user-deleted"))));

    enableTtl("Sessions", true);
    TimeToLiveDescription described = ttl("Sessions");
    assertEquals(TimeToLiveStatus.ENABLED, described.timeToLiveStatus());
    assertEquals("expires", described.attributeName());
    put("Sessions", "after-ttl", n(now() - 1)); // the write keeps the TTL index
    put("Sessions", "updated", n(now() + 3600));
    dynamo.updateItem(
        b ->
            b.tableName("Sessions")
                .key(Map.of("id", s("updated")))
                .updateExpression("SET expires = :past")
                .expressionAttributeValues(Map.of(":past", n(now() - 10))));

    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                !exists("Sessions", "before-ttl")
                    && !exists("Sessions", "after-ttl")
                    && !exists("Sessions", "updated"));
    for (String kept : List.of("future", "none", "text")) {
      assertTrue(exists("Sessions", kept), kept);
    }
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertEquals(List.of("future", "none", "text"), inIndex("Sessions")));

    List<Record> removes =
        records(arn).stream().filter(r -> r.eventName() == OperationType.REMOVE).toList();
    Map<String, Record> byId =
        removes.stream().collect(Collectors.toMap(r -> r.dynamodb().keys().get("id").s(), r -> r));
    assertEquals(
        java.util.Set.of("before-ttl", "after-ttl", "updated", "user-deleted"), byId.keySet());
    for (String expired : List.of("before-ttl", "after-ttl", "updated")) {
      Record remove = byId.get(expired);
      assertEquals("Service", remove.userIdentity().type(), expired);
      assertEquals("dynamodb.amazonaws.com", remove.userIdentity().principalId(), expired);
      assertEquals(s(expired), remove.dynamodb().oldImage().get("id"));
    }
    assertNull(byId.get("user-deleted").userIdentity(), "a user's delete names no service");

    var again =
        assertThrows(
            software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
            () -> enableTtl("Sessions", true));
    assertEquals("ValidationException", again.awsErrorDetails().errorCode());
    assertEquals("TimeToLive is already enabled", again.awsErrorDetails().errorMessage());
    var other =
        assertThrows(
            software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
            () ->
                dynamo.updateTimeToLive(
                    b ->
                        b.tableName("Sessions")
                            .timeToLiveSpecification(s -> s.enabled(true).attributeName("ttl"))));
    assertEquals(
        "TimeToLive is active on a different AttributeName: current AttributeName is expires",
        other.awsErrorDetails().errorMessage());
    var bundled =
        assertThrows(
            software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
            () -> ttl("customers"));
    assertEquals("ValidationException", bundled.awsErrorDetails().errorCode());
    assertEquals(
        "The bundled table customers takes its TTL attribute from PORTICO_CUSTOMER_TTL_ATTRIBUTE",
        bundled.awsErrorDetails().errorMessage());
    assertThrows(ResourceNotFoundException.class, () -> ttl("Missing"));
    assertThrows(ResourceNotFoundException.class, () -> enableTtl("Missing", true));
  }

  @Test
  void disabledTtlShouldExpireNothing() {
    create("Carts", null);
    enableTtl("Carts", true);
    enableTtl("Carts", false);
    assertEquals(TimeToLiveStatus.DISABLED, ttl("Carts").timeToLiveStatus());
    var again =
        assertThrows(
            software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
            () -> enableTtl("Carts", false));
    assertEquals("TimeToLive is already disabled", again.awsErrorDetails().errorMessage());
    put("Carts", "past", n(now() - 60));

    // A table whose TTL is on, with an item expired after the one above was written: once it is
    // gone, sweeps have run since, and they left the item of the table whose TTL is off alone.
    create("Witness", null);
    enableTtl("Witness", true);
    put("Witness", "past", n(now() - 60));
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> !exists("Witness", "past"));
    assertTrue(exists("Carts", "past"));
  }

  @Test
  void updateTableShouldEnableAndDisableAStreamWithDynamoDbsRules() {
    assertNull(create("Feed", null).latestStreamArn());
    TableDescription enabled =
        dynamo
            .updateTable(
                b ->
                    b.tableName("Feed")
                        .streamSpecification(
                            s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
            .tableDescription();
    String first = enabled.latestStreamArn();
    assertTrue(first.startsWith("arn:aws:dynamodb:local:000000000000:table/Feed/stream/"), first);
    assertEquals(StreamViewType.NEW_IMAGE, enabled.streamSpecification().streamViewType());
    put("Feed", "a", null);
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("a"),
                    records(first).stream().map(r -> r.dynamodb().keys().get("id").s()).toList()));

    for (StreamViewType view : List.of(StreamViewType.NEW_IMAGE, StreamViewType.KEYS_ONLY)) {
      var refused =
          assertThrows(
              software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
              () ->
                  dynamo.updateTable(
                      b ->
                          b.tableName("Feed")
                              .streamSpecification(
                                  s -> s.streamEnabled(true).streamViewType(view))));
      assertEquals("ValidationException", refused.awsErrorDetails().errorCode());
      assertEquals(
          "Table already has an enabled stream: TableName: Feed",
          refused.awsErrorDetails().errorMessage());
    }

    TableDescription disabled =
        dynamo
            .updateTable(b -> b.tableName("Feed").streamSpecification(s -> s.streamEnabled(false)))
            .tableDescription();
    assertNull(disabled.latestStreamArn());
    var noStream =
        assertThrows(
            software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
            () ->
                dynamo.updateTable(
                    b -> b.tableName("Feed").streamSpecification(s -> s.streamEnabled(false))));
    assertEquals(
        "Table has no stream to disable: TableName: Feed",
        noStream.awsErrorDetails().errorMessage());
    put("Feed", "unseen", null);

    String second =
        dynamo
            .updateTable(
                b ->
                    b.tableName("Feed")
                        .streamSpecification(
                            s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)))
            .tableDescription()
            .latestStreamArn();
    assertNotEquals(first, second, "a stream enabled again is a new stream");
    assertThrows(
        ResourceNotFoundException.class, () -> streams.describeStream(b -> b.streamArn(first)));
    put("Feed", "b", null);
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("b"),
                    records(second).stream().map(r -> r.dynamodb().keys().get("id").s()).toList()));
    assertFalse(
        streams.listStreams(b -> b.tableName("Feed")).streams().stream()
            .anyMatch(st -> st.streamArn().equals(first)));
  }
}
