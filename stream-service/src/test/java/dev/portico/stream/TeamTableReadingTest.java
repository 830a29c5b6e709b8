package dev.portico.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.Topics;
import dev.portico.table.catalog.StreamArns;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reading team tables' streams through {@code /streams/{table}/...} against a real broker: the
 * catalog and the team tables' changes topic written as the table service writes them, records of
 * several tables (and of an earlier table of the same name) interleaved in one partition, and a
 * partition busy with another table's records.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class TeamTableReadingTest {
  private static final long CREATED = 1_765_000_000_000L;

  private StreamHarness stream;
  private final long[] nextSequence = {10_000, 10_000};
  private final TableDefinition orders = table("Orders", "NEW_AND_OLD_IMAGES", CREATED);
  private final TableDefinition oldOrders = table("Orders", "NEW_IMAGE", CREATED - 60_000);
  private final TableDefinition other = table("Other", "KEYS_ONLY", CREATED);
  private final TableDefinition plain = table("Plain", null, CREATED);
  private final List<String> ordersOnShard0 = new ArrayList<>();

  @BeforeAll
  void start(TestKafka kafka) {
    stream = new StreamHarness(kafka);
    for (TableDefinition t : List.of(orders, other, plain)) {
      stream.commitTo(Topics.TABLES_CATALOG, 0, t.name(), t.toJson());
    }
    // Shard 0: Orders' records among Other's and those an earlier Orders wrote.
    for (int i = 0; i < 12; i++) {
      ordersOnShard0.add(change(0, orders, "o" + i, i % 3 == 0 ? "INSERT" : "MODIFY"));
      change(0, other, "x" + i, "INSERT");
      if (i % 4 == 0) {
        change(0, oldOrders, "old" + i, "INSERT");
      }
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> drain("Orders", iterator("Orders", 0, "TRIM_HORIZON", null), 1000).size() == 12);
  }

  @AfterAll
  void stop() {
    stream.close();
  }

  static TableDefinition table(String name, String view, long createdAt) {
    return new TableDefinition(
        name, KeySchema.of("id", KeyType.S), null, view, createdAt, List.of());
  }

  /** Writes one change of {@code table} as the table service does; returns its sequence number. */
  private String change(int partition, TableDefinition table, String id, String eventName) {
    String seq = String.format("%021d", nextSequence[partition]);
    stream.commitTo(
        Topics.TABLE_CHANGES, partition, key(table, id), record(partition, table, id, eventName));
    return seq;
  }

  private static String key(TableDefinition table, String id) {
    return table.name() + '\u0000' + id;
  }

  /** A change record with the partition's next sequence number, in the table service's form. */
  private byte[] record(int partition, TableDefinition table, String id, String eventName) {
    String seq = String.format("%021d", nextSequence[partition]);
    nextSequence[partition] += 10_000;
    ObjectNode key = Json.MAPPER.createObjectNode();
    key.putObject("id").put("S", id);
    ObjectNode record = Json.MAPPER.createObjectNode();
    record.put("eventID", UUID.randomUUID().toString());
    record.put("eventName", eventName);
    record.put("eventVersion", "1.1");
    record.put("eventSource", "aws:dynamodb");
    record.put("eventSourceARN", StreamArns.arn(table));
    ObjectNode dynamodb = record.putObject("dynamodb");
    dynamodb.set("Keys", key);
    dynamodb.set("NewImage", key.deepCopy());
    dynamodb.put("SequenceNumber", seq);
    dynamodb.put("SizeBytes", 20);
    dynamodb.put("StreamViewType", table.streamViewType());
    return record.toString().getBytes(StandardCharsets.UTF_8);
  }

  private String iterator(String table, int partition, String type, String seq) {
    StreamHarness.Reply reply =
        stream.post(
            "/streams/" + table + "/iterators", StreamHarness.iteratorBody(partition, type, seq));
    assertEquals(200, reply.status(), reply.body().toString());
    return reply.body().get("shardIterator").asText();
  }

  private StreamHarness.Reply page(String table, String iterator, int limit) {
    return stream.get("/streams/" + table + "/records?iterator=" + iterator + "&limit=" + limit);
  }

  /** Pages until one comes back empty; every page within its limit. */
  private List<JsonNode> drain(String table, String iterator, int limit) {
    List<JsonNode> records = new ArrayList<>();
    String at = iterator;
    while (true) {
      StreamHarness.Reply reply = page(table, at, limit);
      assertEquals(200, reply.status(), reply.body().toString());
      JsonNode page = reply.body().get("records");
      assertTrue(page.size() <= limit, "page of " + page.size() + " over " + limit);
      if (page.isEmpty()) {
        return records;
      }
      page.forEach(records::add);
      at = reply.body().get("nextShardIterator").asText();
    }
  }

  private static List<String> sequences(List<JsonNode> records) {
    return records.stream().map(r -> r.at("/dynamodb/SequenceNumber").asText()).toList();
  }

  private void assertNotFound(StreamHarness.Reply reply, String text) {
    assertEquals(404, reply.status(), reply.body().toString());
    assertEquals("ResourceNotFoundException", reply.errorType());
    assertEquals("ResourceNotFoundException", reply.body().get("type").asText());
    assertTrue(reply.message().contains(text), reply.message());
  }

  @Test
  void aTablesRecordsOnlyInOrderWithEveryPageSize() {
    for (int limit : new int[] {1, 5, 1000}) {
      List<JsonNode> read = drain("Orders", iterator("Orders", 0, "TRIM_HORIZON", null), limit);
      assertEquals(ordersOnShard0, sequences(read), "limit " + limit);
      read.forEach(
          r -> assertEquals(StreamArns.arn(orders), r.get("eventSourceARN").asText(), "its own"));
      // Passed through as on the topic: typed images.
      assertEquals("o0", read.get(0).at("/dynamodb/Keys/id/S").asText());
    }
    assertEquals(12, drain("Other", iterator("Other", 0, "TRIM_HORIZON", null), 3).size());
    assertEquals(List.of(), drain("Orders", iterator("Orders", 1, "TRIM_HORIZON", null), 10));
  }

  @Test
  void shardsAreThePartitionsOfTheTablesTopic() {
    StreamHarness.Reply reply = stream.get("/streams/Orders/shards");
    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals("Orders", reply.body().get("stream").asText());
    JsonNode shards = reply.body().get("shards");
    assertEquals(2, shards.size());
    assertEquals(StreamReader.shardId(0), shards.get(0).get("shardId").asText());
    assertEquals(
        ordersOnShard0.get(0),
        shards.get(0).at("/sequenceNumberRange/startingSequenceNumber").asText());
  }

  @Test
  void sequenceNumberIteratorsFindTheTablesNextRecord() {
    List<JsonNode> after =
        drain("Orders", iterator("Orders", 0, "AFTER_SEQUENCE_NUMBER", ordersOnShard0.get(4)), 2);
    assertEquals(ordersOnShard0.subList(5, 12), sequences(after));
    List<JsonNode> at =
        drain("Orders", iterator("Orders", 0, "AT_SEQUENCE_NUMBER", ordersOnShard0.get(4)), 1000);
    assertEquals(ordersOnShard0.subList(4, 12), sequences(at));
  }

  @Test
  void anIteratorReadsOnlyTheStreamItWasIssuedFor() {
    String ofOrders = iterator("Orders", 0, "TRIM_HORIZON", null);
    String ofCustomers = stream.iterator(0, "TRIM_HORIZON", null);
    for (var reply :
        List.of(
            page("Other", ofOrders, 10),
            page("customers", ofOrders, 10),
            page("Orders", ofCustomers, 10))) {
      assertEquals(400, reply.status(), reply.body().toString());
      assertEquals("ValidationException", reply.errorType());
      assertTrue(reply.message().contains("Invalid shard iterator"), reply.message());
    }
  }

  @Test
  void unknownTablesAndTablesWithoutAStreamAreNotFound() {
    for (String path :
        List.of("/streams/Nope/shards", "/streams/Nope/records?iterator=x&limit=1")) {
      assertNotFound(stream.get(path), "Table Nope does not exist");
    }
    assertNotFound(
        stream.post("/streams/Nope/iterators", StreamHarness.iteratorBody(0, "LATEST", null)),
        "Table Nope does not exist");
    assertNotFound(stream.get("/streams/Plain/shards"), "Table Plain has no stream");
    assertNotFound(
        stream.post("/streams/Plain/iterators", StreamHarness.iteratorBody(0, "LATEST", null)),
        "has no stream");
    StreamHarness.Reply unknownOperation = stream.get("/streams/Orders/nope");
    assertEquals(404, unknownOperation.status());
    assertEquals("UnknownOperationException", unknownOperation.errorType());
  }

  @Test
  void aDeletedTableIsNotFound() {
    TableDefinition gone = table("Gone", "NEW_IMAGE", CREATED);
    stream.commitTo(Topics.TABLES_CATALOG, 0, gone.name(), gone.toJson());
    change(1, gone, "g1", "INSERT");
    String iterator = iterator("Gone", 1, "TRIM_HORIZON", null);
    stream.commitTo(Topics.TABLES_CATALOG, 0, gone.name(), null);
    // The catalog view follows the topic: the deletion is seen within a poll.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stream.get("/streams/Gone/shards").status() == 404);
    assertNotFound(page("Gone", iterator, 10), "Table Gone does not exist");
  }

  @Test
  void aPageLooksAtTenThousandRecordsOfThePartitionAtMost() {
    // Shard 1: a record of Busy, 10,050 of Other, one more of Busy.
    TableDefinition busy = table("Busy", "NEW_IMAGE", CREATED);
    stream.commitTo(Topics.TABLES_CATALOG, 0, busy.name(), busy.toJson());
    String first = change(1, busy, "b1", "INSERT");
    String start = iterator("Busy", 1, "AT_SEQUENCE_NUMBER", first);
    Map<String, byte[]> busyOther = new LinkedHashMap<>();
    for (int i = 0; i < 10_050; i++) {
      busyOther.put(key(other, "y" + i), record(1, other, "y" + i, "INSERT"));
    }
    stream.commitAllTo(Topics.TABLE_CHANGES, 1, busyOther);
    String second = change(1, busy, "b2", "INSERT");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> drain("Busy", start, 1000).size() == 2);
    // The first page stops after 10,000 records looked at (Busy's first and 9,999 of Other),
    // before Busy's second; the next iterator goes on from there.
    StreamHarness.Reply firstPage = page("Busy", start, 1000);
    assertEquals(List.of(first), sequences(list(firstPage.body().get("records"))));
    String next = firstPage.body().get("nextShardIterator").asText();
    assertEquals(List.of(second), sequences(drain("Busy", next, 1000)));
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
