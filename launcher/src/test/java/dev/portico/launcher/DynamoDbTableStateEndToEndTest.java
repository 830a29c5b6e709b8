package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A team table's items and index entries live in Kafka like the bundled table's: a table service
 * restarted on its own state and on an empty one serves them all, and with two replicas one of them
 * killed mid-load loses and duplicates nothing (writes are conditional puts retried as a client
 * retries them).
 */
@ExtendWith(KafkaExtension.class)
@Timeout(420)
@Tag("integration")
class DynamoDbTableStateEndToEndTest {

  static void createEvents(DynamoDbClient dynamo) {
    dynamo.createTable(
        b ->
            b.tableName("Events")
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.S)
                        .build(),
                    AttributeDefinition.builder()
                        .attributeName("kind")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(
                    KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(
                    GlobalSecondaryIndex.builder()
                        .indexName("byKind")
                        .keySchema(
                            KeySchemaElement.builder()
                                .attributeName("kind")
                                .keyType(KeyType.HASH)
                                .build())
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .build()));
  }

  /** Puts the item once: a retry of a put that did happen meets its own condition. */
  static void putOnce(DynamoDbClient dynamo, int i) {
    while (true) {
      try {
        dynamo.putItem(
            b ->
                b.tableName("Events")
                    .item(
                        Map.of(
                            "id", AttributeValue.fromS("e-" + i),
                            "kind", AttributeValue.fromS("k" + (i % 5)),
                            "n", AttributeValue.fromN(Integer.toString(i))))
                    .conditionExpression("attribute_not_exists(id)"));
        return;
      } catch (ConditionalCheckFailedException alreadyWritten) {
        return;
      } catch (SdkException retry) {
        // a timeout while partitions move: send it again, as a client would
      }
    }
  }

  static Set<String> ids(DynamoDbClient dynamo, String index) {
    List<String> all = new ArrayList<>();
    dynamo
        .scanPaginator(b -> (index == null ? b : b.indexName(index)).tableName("Events").limit(100))
        .items()
        .forEach(i -> all.add(i.get("id").s()));
    Set<String> unique = new TreeSet<>(all);
    assertEquals(all.size(), unique.size(), "an item or entry read twice");
    return unique;
  }

  static Set<String> expected(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "e-" + i)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void itemsAndIndexEntriesShouldSurviveARestartOnTheirStateAndOnAnEmptyOne(
      TestKafka kafka, @TempDir Path state, @TempDir Path emptyState) {
    try (Suite suite =
            new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), state, 10_000).start();
        DynamoDbClient dynamo = suite.dynamoClient()) {
      createEvents(dynamo);
      IntStream.range(0, 50).forEach(i -> putOnce(dynamo, i));
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> ids(dynamo, "byKind").size() == 50);

      suite.stopCustomers();
      suite.startCustomers();
      assertEquals(expected(50), ids(dynamo, null));
      assertEquals(expected(50), ids(dynamo, "byKind"));

      suite.stopCustomers();
      suite.env.put("PORTICO_CUSTOMER_STATE_DIR", emptyState.toString());
      suite.startCustomers();
      assertEquals(expected(50), ids(dynamo, null));
      assertEquals(expected(50), ids(dynamo, "byKind"));
    }
  }

  @Test
  void aReplicaKilledMidLoadShouldLoseAndDuplicateNothing(
      TestKafka kafka, @TempDir Path stateA, @TempDir Path stateB, @TempDir Path logs)
      throws Exception {
    String prefix = kafka.freshPrefix();
    Process replicaA = FailoverTest.startReplica(kafka, prefix, stateA, logs.resolve("a.log"));
    Process replicaB = FailoverTest.startReplica(kafka, prefix, stateB, logs.resolve("b.log"));
    int count = 600;
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try (Suite suite = new Suite(kafka.bootstrapServers(), prefix, stateA, 5_000).startEdge();
        DynamoDbClient dynamo = suite.dynamoClient()) {
      createEvents(dynamo);
      AtomicInteger written = new AtomicInteger();
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        puts.add(
            writers.submit(
                () -> {
                  putOnce(dynamo, n);
                  written.incrementAndGet();
                }));
      }
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> written.get() >= count / 3);
      replicaA.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      for (Future<?> put : puts) {
        put.get(300, TimeUnit.SECONDS);
      }
      assertEquals(expected(count), ids(dynamo, null));
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .untilAsserted(() -> assertEquals(expected(count), ids(dynamo, "byKind")));
    } finally {
      writers.shutdownNow();
      replicaA.destroyForcibly();
      replicaB.destroy();
      replicaB.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void tablesCreatedAndDeletedWhileWritesRunShouldKeepEveryOtherTablesItems(
      TestKafka kafka, @TempDir Path state) throws Exception {
    try (Suite suite =
            new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), state, 10_000).start();
        DynamoDbClient dynamo = suite.dynamoClient()) {
      createEvents(dynamo);
      AtomicBoolean churning = new AtomicBoolean(true);
      AtomicInteger unexpected = new AtomicInteger();
      Thread churn =
          new Thread(
              () -> {
                for (int round = 0; round < 5; round++) {
                  dynamo.createTable(
                      b ->
                          b.tableName("Churn")
                              .attributeDefinitions(
                                  AttributeDefinition.builder()
                                      .attributeName("id")
                                      .attributeType(ScalarAttributeType.S)
                                      .build())
                              .keySchema(
                                  KeySchemaElement.builder()
                                      .attributeName("id")
                                      .keyType(KeyType.HASH)
                                      .build()));
                  for (int i = 0; i < 20; i++) {
                    int n = i;
                    try {
                      dynamo.putItem(
                          b ->
                              b.tableName("Churn")
                                  .item(Map.of("id", AttributeValue.fromS("old-" + n))));
                    } catch (SdkException e) {
                      unexpected.incrementAndGet();
                    }
                  }
                  dynamo.deleteTable(b -> b.tableName("Churn"));
                }
                churning.set(false);
              });
      churn.start();
      int i = 0;
      while (churning.get()) {
        putOnce(dynamo, i++);
      }
      churn.join();
      assertEquals(0, unexpected.get(), "a put into the live Churn table failed");
      assertEquals(expected(i), ids(dynamo, null));
      int written = i;
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .untilAsserted(() -> assertEquals(expected(written), ids(dynamo, "byKind")));
      // Created again: none of the earlier incarnations' items.
      dynamo.createTable(
          b ->
              b.tableName("Churn")
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("id")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName("id")
                          .keyType(KeyType.HASH)
                          .build()));
      assertEquals(0, dynamo.scan(b -> b.tableName("Churn")).count());
    }
  }
}
