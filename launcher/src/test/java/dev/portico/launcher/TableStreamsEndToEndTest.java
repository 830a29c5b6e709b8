package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Team tables' streams through the DynamoDB Streams API, with the AWS SDK for Java v2's own clients
 * pointed at an edge and a table service on a real broker: a table created with NEW_AND_OLD_IMAGES,
 * items put, updated and deleted, and exactly those changes read back in order with their typed
 * images; paging, sequence-number iterators, LATEST; a table without a stream has none.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@Tag("integration")
class TableStreamsEndToEndTest {
  Suite suite;
  DynamoDbClient dynamo;
  DynamoDbStreamsClient streams;

  @BeforeAll
  void startSuite(TestKafka kafka, @TempDir Path stateDir) {
    suite = new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000).start();
    var credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    dynamo =
        DynamoDbClient.builder()
            .endpointOverride(URI.create(suite.dynamoUrl()))
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    streams =
        DynamoDbStreamsClient.builder()
            .endpointOverride(URI.create(suite.dynamoUrl()))
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
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

  static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  TableDescription create(String name, StreamViewType view) {
    return dynamo
        .createTable(
            b -> {
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
                  .billingMode("PAY_PER_REQUEST");
              if (view != null) {
                b.streamSpecification(
                    StreamSpecification.builder().streamEnabled(true).streamViewType(view).build());
              }
            })
        .tableDescription();
  }

  /** Every record of the stream, shard by shard, each from TRIM_HORIZON to an empty page. */
  List<Record> readAll(String arn, int pageLimit) {
    List<Record> all = new ArrayList<>();
    StreamDescription description =
        streams.describeStream(b -> b.streamArn(arn)).streamDescription();
    for (Shard shard : description.shards()) {
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
        var page = streams.getRecords(b -> b.shardIterator(from).limit(pageLimit));
        assertTrue(page.records().size() <= pageLimit);
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
  void shouldReadEveryChangeOfATableInOrderWithItsTypedImages() {
    TableDescription created = create("Orders", StreamViewType.NEW_AND_OLD_IMAGES);
    String arn = created.latestStreamArn();
    assertTrue(arn.startsWith("arn:aws:dynamodb:local:000000000000:table/Orders/stream/"), arn);
    assertEquals(arn.substring(arn.lastIndexOf('/') + 1), created.latestStreamLabel());
    TableDescription described = dynamo.describeTable(b -> b.tableName("Orders")).table();
    assertEquals(arn, described.latestStreamArn());
    assertTrue(described.streamSpecification().streamEnabled());
    assertEquals(
        StreamViewType.NEW_AND_OLD_IMAGES, described.streamSpecification().streamViewType());

    Map<String, AttributeValue> first =
        Map.of(
            "customer", s("c1"),
            "placed_at", n("1"),
            "total", n("12.50"),
            "tags", AttributeValue.fromSs(List.of("gift", "red")),
            "blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 255})));
    dynamo.putItem(b -> b.tableName("Orders").item(first));
    dynamo.putItem(b -> b.tableName("Orders").item(first)); // no change: no record
    Map<String, AttributeValue> key = Map.of("customer", s("c1"), "placed_at", n("1"));
    dynamo.updateItem(
        b ->
            b.tableName("Orders")
                .key(key)
                .updateExpression("SET total = total + :d REMOVE blob")
                .expressionAttributeValues(Map.of(":d", n("1"))));
    dynamo.putItem(
        b -> b.tableName("Orders").item(Map.of("customer", s("c2"), "placed_at", n("5"))));
    dynamo.deleteItem(b -> b.tableName("Orders").key(key));
    dynamo.deleteItem(b -> b.tableName("Orders").key(key)); // gone already: no record

    assertEquals(
        List.of("Orders"),
        streams.listStreams(b -> b.tableName("Orders")).streams().stream()
            .map(st -> st.tableName())
            .toList());
    StreamDescription description =
        streams.describeStream(b -> b.streamArn(arn)).streamDescription();
    assertEquals("ENABLED", description.streamStatusAsString());
    assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, description.streamViewType());
    assertEquals("Orders", description.tableName());
    assertFalse(description.shards().isEmpty());

    for (int pageLimit : List.of(1, 2, 1000)) {
      List<Record> records = readAll(arn, pageLimit);
      List<Record> c1 =
          records.stream()
              .filter(r -> r.dynamodb().keys().get("customer").s().equals("c1"))
              .toList();
      assertEquals(4, records.size(), records.toString());
      assertEquals(
          List.of(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE),
          c1.stream().map(Record::eventName).toList());

      Record insert = c1.get(0);
      assertEquals(key, insert.dynamodb().keys());
      assertEquals(
          Map.of(
              "customer", s("c1"),
              "placed_at", n("1"),
              "total", n("12.5"),
              "tags", AttributeValue.fromSs(List.of("gift", "red")),
              "blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 255}))),
          insert.dynamodb().newImage());
      assertTrue(insert.dynamodb().oldImage().isEmpty());
      assertEquals("aws:dynamodb", insert.eventSource());
      assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, insert.dynamodb().streamViewType());

      Record modify = c1.get(1);
      assertEquals(insert.dynamodb().newImage(), modify.dynamodb().oldImage());
      assertEquals(
          Map.of(
              "customer", s("c1"),
              "placed_at", n("1"),
              "total", n("13.5"),
              "tags", AttributeValue.fromSs(List.of("gift", "red"))),
          modify.dynamodb().newImage());

      Record remove = c1.get(2);
      assertEquals(modify.dynamodb().newImage(), remove.dynamodb().oldImage());
      assertTrue(remove.dynamodb().newImage().isEmpty());

      // Sequence numbers increase along an item's records, compared as strings of equal length.
      assertTrue(
          insert.dynamodb().sequenceNumber().compareTo(modify.dynamodb().sequenceNumber()) < 0);
      assertTrue(
          modify.dynamodb().sequenceNumber().compareTo(remove.dynamodb().sequenceNumber()) < 0);
      assertEquals(
          4, records.stream().map(Record::eventID).distinct().count(), "event ids are unique");
    }
  }

  @Test
  void sequenceNumberIteratorsShouldStartAtOrAfterARecordAndLatestAfterTheNewest() {
    String arn = create("Events", StreamViewType.KEYS_ONLY).latestStreamArn();
    for (int i = 0; i < 3; i++) {
      int at = i;
      dynamo.putItem(
          b ->
              b.tableName("Events")
                  .item(Map.of("customer", s("k"), "placed_at", n(Integer.toString(at)))));
    }
    List<Record> records = readAll(arn, 1000);
    assertEquals(3, records.size());
    assertTrue(records.get(0).dynamodb().newImage().isEmpty(), "KEYS_ONLY carries no image");
    String shard = shardOf(arn, records.get(1).dynamodb().sequenceNumber());
    String middle = records.get(1).dynamodb().sequenceNumber();

    assertEquals(
        List.of(middle, records.get(2).dynamodb().sequenceNumber()),
        sequenceNumbers(arn, shard, ShardIteratorType.AT_SEQUENCE_NUMBER, middle));
    assertEquals(
        List.of(records.get(2).dynamodb().sequenceNumber()),
        sequenceNumbers(arn, shard, ShardIteratorType.AFTER_SEQUENCE_NUMBER, middle));

    String latest =
        streams
            .getShardIterator(
                b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.LATEST))
            .shardIterator();
    assertTrue(streams.getRecords(b -> b.shardIterator(latest)).records().isEmpty());
    dynamo.putItem(
        b -> b.tableName("Events").item(Map.of("customer", s("k"), "placed_at", n("9"))));
    List<Record> after = streams.getRecords(b -> b.shardIterator(latest)).records();
    assertEquals(1, after.size());
    assertEquals(n("9"), after.get(0).dynamodb().keys().get("placed_at"));
  }

  @Test
  void eachChangeShouldBeInTheStreamOnceAndInOrderAcrossATableServiceRestart() {
    String arn = create("Counters", StreamViewType.NEW_IMAGE).latestStreamArn();
    for (int i = 0; i < 24; i++) {
      if (i == 12) {
        suite.stopCustomers();
        suite.startCustomers();
      }
      String item = "k" + (i % 4);
      dynamo.updateItem(
          b ->
              b.tableName("Counters")
                  .key(Map.of("customer", s(item), "placed_at", n("0")))
                  .updateExpression("ADD n :one")
                  .expressionAttributeValues(Map.of(":one", n("1"))));
    }
    List<Record> records = readAll(arn, 5);
    assertEquals(24, records.size());
    assertEquals(24, records.stream().map(Record::eventID).distinct().count());
    for (int k = 0; k < 4; k++) {
      String item = "k" + k;
      List<Record> ofItem =
          records.stream()
              .filter(r -> r.dynamodb().keys().get("customer").s().equals(item))
              .toList();
      assertEquals(
          List.of("1", "2", "3", "4", "5", "6"),
          ofItem.stream().map(r -> r.dynamodb().newImage().get("n").n()).toList(),
          item);
      assertEquals(OperationType.INSERT, ofItem.get(0).eventName());
    }
  }

  @Test
  void aTableWithoutAStreamShouldHaveNone() {
    TableDescription created = create("Plain", null);
    assertNull(created.latestStreamArn());
    assertNull(dynamo.describeTable(b -> b.tableName("Plain")).table().latestStreamArn());
    dynamo.putItem(b -> b.tableName("Plain").item(Map.of("customer", s("x"), "placed_at", n("1"))));
    assertTrue(streams.listStreams(b -> b.tableName("Plain")).streams().isEmpty());
    assertThrows(
        ResourceNotFoundException.class,
        () ->
            streams.describeStream(
                b ->
                    b.streamArn(
                        "arn:aws:dynamodb:local:000000000000:table/Plain/stream/2026-01-01T00:00:00.000")));
  }

  @Test
  void badRequestsShouldGetDynamoDbStreamsErrors() {
    String arn = create("Errors", StreamViewType.NEW_IMAGE).latestStreamArn();
    DynamoDbException badShard =
        assertThrows(
            ResourceNotFoundException.class,
            () ->
                streams.getShardIterator(
                    b ->
                        b.streamArn(arn)
                            .shardId("shardId-00000000000000009999-00000000")
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
    assertEquals(400, badShard.statusCode());
    DynamoDbException noSequence =
        assertThrows(
            DynamoDbException.class,
            () ->
                streams.getShardIterator(
                    b ->
                        b.streamArn(arn)
                            .shardId(
                                streams
                                    .describeStream(d -> d.streamArn(arn))
                                    .streamDescription()
                                    .shards()
                                    .get(0)
                                    .shardId())
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)));
    assertEquals("ValidationException", noSequence.awsErrorDetails().errorCode());
    DynamoDbException badIterator =
        assertThrows(
            DynamoDbException.class, () -> streams.getRecords(b -> b.shardIterator("garbage!")));
    assertEquals("ValidationException", badIterator.awsErrorDetails().errorCode());
  }

  String shardOf(String arn, String sequenceNumber) {
    for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
      if (!sequenceNumbers(arn, shard.shardId(), ShardIteratorType.TRIM_HORIZON, null).stream()
          .filter(sequenceNumber::equals)
          .toList()
          .isEmpty()) {
        return shard.shardId();
      }
    }
    throw new AssertionError("no shard holds " + sequenceNumber);
  }

  List<String> sequenceNumbers(
      String arn, String shard, ShardIteratorType type, String sequenceNumber) {
    String iterator =
        streams
            .getShardIterator(
                b ->
                    b.streamArn(arn)
                        .shardId(shard)
                        .shardIteratorType(type)
                        .sequenceNumber(sequenceNumber))
            .shardIterator();
    return streams.getRecords(b -> b.shardIterator(iterator)).records().stream()
        .map(r -> r.dynamodb().sequenceNumber())
        .toList();
  }
}
