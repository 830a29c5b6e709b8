package dev.portico.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the stream API refuses, and how: a precise 4xx with the DynamoDB Streams exception name,
 * never a 500. Expiry is tested with a clock the test moves; retention with records deleted through
 * the admin API (what retention does to the log start).
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class StreamErrorsTest {
  private static final String ITERATORS = "/streams/customers/iterators";
  private StreamHarness stream;
  private List<String> shard1;

  @BeforeAll
  void start(TestKafka kafka) {
    stream = new StreamHarness(kafka);
    stream.commit(0, 20);
    shard1 = stream.commit(1, 30).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
  }

  @AfterAll
  void stop() {
    stream.close();
  }

  private void assertRefused(StreamHarness.Reply reply, int status, String type, String text) {
    assertEquals(status, reply.status(), reply.body().toString());
    assertEquals(type, reply.errorType());
    assertEquals(type, reply.body().get("type").asText());
    assertTrue(
        reply.message().contains(text), "'" + reply.message() + "' should contain '" + text + "'");
  }

  @Test
  void anIteratorExpiresAfterFifteenMinutes() {
    String iterator = stream.iterator(0, "TRIM_HORIZON", null);
    stream.clock.advance(Duration.ofMinutes(15));
    String next = stream.page(iterator, 5).body().get("nextShardIterator").asText();
    stream.clock.advance(Duration.ofMillis(1));
    var expired = stream.get("/streams/customers/records?iterator=" + iterator);
    assertRefused(expired, 400, "ExpiredIteratorException", "Iterator expired");
    // The next iterator was issued at the later read, so it still has its own 15 minutes.
    assertEquals(5, stream.page(next, 5).body().get("records").size());
  }

  @Test
  void aForgedOrMangledIteratorIsRefused() {
    String iterator = stream.iterator(0, "TRIM_HORIZON", null);
    String decoded = new String(Base64.getUrlDecoder().decode(iterator));
    String[] parts = decoded.split("\\.");
    parts[2] = "5"; // another offset, same signature
    String forged =
        Base64.getUrlEncoder().withoutPadding().encodeToString(String.join(".", parts).getBytes());
    for (String bad : List.of(forged, "not-an-iterator", "%25%25%25", "djEuMC4wLjAuAA")) {
      assertRefused(
          stream.get("/streams/customers/records?iterator=" + bad),
          400,
          "ValidationException",
          "Invalid shard iterator");
    }
    assertRefused(
        stream.get("/streams/customers/records"), 400, "ValidationException", "'iterator'");
  }

  @Test
  void limitsAtTheirEdges() {
    String iterator = stream.iterator(1, "TRIM_HORIZON", null);
    assertEquals(1, stream.page(iterator, 1).body().get("records").size());
    assertEquals(30, stream.page(iterator, 1000).body().get("records").size());
    for (String bad : List.of("0", "1001", "-1", "abc", "", "1.5", "99999999999")) {
      assertRefused(
          stream.get("/streams/customers/records?limit=" + bad + "&iterator=" + iterator),
          400,
          "ValidationException",
          "limit must be an integer from 1 to 1000");
    }
  }

  @Test
  void badIteratorRequestsAreRefusedPrecisely() {
    assertRefused(stream.post(ITERATORS, "{"), 400, "ValidationException", "not valid JSON");
    assertRefused(stream.post(ITERATORS, "[1]"), 400, "ValidationException", "JSON object");
    assertRefused(stream.post(ITERATORS, ""), 400, "ValidationException", "Body required");
    assertRefused(
        stream.post(
            ITERATORS, "{\"shardId\":\"shardId-000000000000\",\"type\":\"TRIM_HORIZON\",\"x\":1}"),
        400,
        "ValidationException",
        "Unknown field 'x'");
    assertRefused(
        stream.post(ITERATORS, "{\"shardId\":0,\"type\":\"TRIM_HORIZON\"}"),
        400,
        "ValidationException",
        "shardId must be a string");
    assertRefused(
        stream.post(ITERATORS, "{\"type\":\"TRIM_HORIZON\"}"),
        400,
        "ValidationException",
        "shardId is required");
    assertRefused(
        stream.post(ITERATORS, "{\"shardId\":\"shard-0\",\"type\":\"TRIM_HORIZON\"}"),
        400,
        "ValidationException",
        "shardId must look like");
    assertRefused(
        stream.post(ITERATORS, StreamHarness.iteratorBody(7, "TRIM_HORIZON", null)),
        400,
        "ResourceNotFoundException",
        "does not exist");
    assertRefused(
        stream.post(ITERATORS, StreamHarness.iteratorBody(0, "OLDEST", null)),
        400,
        "ValidationException",
        "type must be");
    assertRefused(
        stream.post(ITERATORS, "{\"shardId\":\"shardId-000000000000\"}"),
        400,
        "ValidationException",
        "type is required");
    assertRefused(
        stream.post(ITERATORS, StreamHarness.iteratorBody(0, "AT_SEQUENCE_NUMBER", null)),
        400,
        "ValidationException",
        "sequenceNumber is required");
    assertRefused(
        stream.post(ITERATORS, StreamHarness.iteratorBody(0, "LATEST", "1")),
        400,
        "ValidationException",
        "must not be given");
    for (String bad : List.of("12a", "-1", "1".repeat(22), " 1")) {
      assertRefused(
          stream.post(ITERATORS, StreamHarness.iteratorBody(0, "AFTER_SEQUENCE_NUMBER", bad)),
          400,
          "ValidationException",
          "sequenceNumber must be 1 to 21 decimal digits");
    }
    assertRefused(
        stream.post(ITERATORS, StreamHarness.iteratorBody(1, "AT_SEQUENCE_NUMBER", "9".repeat(21))),
        400,
        "ValidationException",
        "beyond the last record");
  }

  @Test
  void aMegabyteBoundsAPage() {
    // 300 KB images: three fit in 1 MB, a fourth would pass it. Written to a fresh harness so the
    // other tests' shards keep their small records.
    try (StreamHarness big = new StreamHarness(stream.kafka())) {
      big.commitLarge(0, 7, 300 * 1024);
      String iterator = big.iterator(0, "TRIM_HORIZON", null);
      var first = big.page(iterator, 1000).body();
      assertEquals(3, first.get("records").size());
      var second = big.page(first.get("nextShardIterator").asText(), 1000).body();
      assertEquals(3, second.get("records").size());
      var third = big.page(second.get("nextShardIterator").asText(), 1000).body();
      assertEquals(1, third.get("records").size());
    }
  }

  @Test
  void trimmedRecordsAreAClearError() throws Exception {
    try (StreamHarness trimmed = new StreamHarness(stream.kafka())) {
      List<String> seqs =
          trimmed.commit(0, 10).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
      String old = trimmed.iterator(0, "TRIM_HORIZON", null);
      // What retention does: the log start moves past the first records.
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  trimmed.kafka().bootstrapServers()))) {
        admin
            .deleteRecords(
                Map.of(new TopicPartition(trimmed.topic, 0), RecordsToDelete.beforeOffset(4)))
            .all()
            .get();
      }
      assertRefused(
          trimmed.get("/streams/customers/records?iterator=" + old),
          400,
          "TrimmedDataAccessException",
          "retention has deleted");
      assertRefused(
          trimmed.post(ITERATORS, StreamHarness.iteratorBody(0, "AT_SEQUENCE_NUMBER", seqs.get(1))),
          400,
          "TrimmedDataAccessException",
          "older than the oldest record retained");
      // The retained records stay readable, from the horizon and by sequence number.
      assertEquals(
          seqs.subList(4, 10),
          trimmed.drain(trimmed.iterator(0, "TRIM_HORIZON", null), 100, null).stream()
              .map(r -> r.at("/dynamodb/SequenceNumber").asText())
              .toList());
      assertEquals(
          6,
          trimmed.drain(trimmed.iterator(0, "AT_SEQUENCE_NUMBER", seqs.get(4)), 100, null).size());
      var shards = trimmed.get("/streams/customers/shards").body().get("shards");
      assertEquals(
          seqs.get(4), shards.get(0).at("/sequenceNumberRange/startingSequenceNumber").asText());
    }
  }

  @Test
  void unknownRoutesAndMethodsAreNotServerErrors() {
    var unknown = stream.get("/streams/customers/nope");
    assertRefused(unknown, 404, "UnknownOperationException", "No such operation");
    assertRefused(
        stream.post("/streams/customers/shards", "{}"),
        404,
        "UnknownOperationException",
        "POST /streams/customers/shards");
    assertEquals(
        1, stream.drain(stream.iterator(1, "AT_SEQUENCE_NUMBER", shard1.get(29)), 10, null).size());
  }
}
