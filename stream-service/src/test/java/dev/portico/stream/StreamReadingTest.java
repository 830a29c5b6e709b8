package dev.portico.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.StreamRecord;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reading the change stream through shards, iterators and pages, against a real broker. One service
 * and one data set for the class: two shards, committed transactions interleaved with aborted ones
 * (which a reader must never see).
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class StreamReadingTest {
  private StreamHarness stream;
  private final List<List<StreamRecord>> written = List.of(new ArrayList<>(), new ArrayList<>());

  @BeforeAll
  void start(TestKafka kafka) {
    stream = new StreamHarness(kafka);
    for (int round = 0; round < 4; round++) {
      for (int p = 0; p < 2; p++) {
        written.get(p).addAll(stream.commit(p, 260 + 17 * round + p));
        stream.abort(p, 11);
      }
    }
    // Committed records are visible to read_committed readers once their markers land.
    for (int p = 0; p < 2; p++) {
      int partition = p;
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () ->
                  stream.drain(stream.iterator(partition, "TRIM_HORIZON", null), 1000, null).size()
                      == written.get(partition).size());
    }
  }

  @AfterAll
  void stop() {
    stream.close();
  }

  private static List<String> sequences(List<JsonNode> records) {
    return records.stream().map(r -> r.at("/dynamodb/SequenceNumber").asText()).toList();
  }

  private List<String> writtenSequences(int partition) {
    return written.get(partition).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
  }

  @Test
  void shardsAreThePartitionsWithTheirFirstSequenceNumbers() {
    var reply = stream.get("/streams/customers/shards");
    assertEquals(200, reply.status(), reply.body().toString());
    JsonNode shards = reply.body().get("shards");
    assertEquals(2, shards.size());
    for (int p = 0; p < 2; p++) {
      assertEquals(StreamReader.shardId(p), shards.get(p).get("shardId").asText());
      assertEquals(
          writtenSequences(p).get(0),
          shards.get(p).at("/sequenceNumberRange/startingSequenceNumber").asText());
    }
  }

  @Test
  void everyRecordExactlyOnceInOrderAcrossPagesOfEverySize() {
    for (int limit : new int[] {7, 100, 1000}) {
      Set<String> eventIds = new HashSet<>();
      for (int p = 0; p < 2; p++) {
        List<JsonNode> read = stream.drain(stream.iterator(p, "TRIM_HORIZON", null), limit, null);
        assertEquals(writtenSequences(p), sequences(read), "shard " + p + ", limit " + limit);
        read.forEach(r -> assertTrue(eventIds.add(r.get("eventID").asText()), "duplicate"));
        assertEquals(
            written.get(p).get(0).eventID(), read.get(0).get("eventID").asText(), "as written");
      }
      assertEquals(written.get(0).size() + written.get(1).size(), eventIds.size());
    }
  }

  @Test
  void afterSequenceNumberResumesWhereAReaderStopped() {
    List<String> expected = writtenSequences(1);
    List<JsonNode> firstPart = new ArrayList<>();
    stream
        .page(stream.iterator(1, "TRIM_HORIZON", null), 150)
        .body()
        .get("records")
        .forEach(firstPart::add);
    assertEquals(150, firstPart.size());
    String lastRead = firstPart.get(149).at("/dynamodb/SequenceNumber").asText();
    List<JsonNode> rest =
        stream.drain(stream.iterator(1, "AFTER_SEQUENCE_NUMBER", lastRead), 64, null);
    List<String> all = new ArrayList<>(sequences(firstPart));
    all.addAll(sequences(rest));
    assertEquals(expected, all);
  }

  @Test
  void atSequenceNumberStartsAtThatRecordOrTheNextOne() {
    List<String> expected = writtenSequences(0);
    String middle = expected.get(200);
    List<JsonNode> at = stream.drain(stream.iterator(0, "AT_SEQUENCE_NUMBER", middle), 1000, null);
    assertEquals(expected.subList(200, expected.size()), sequences(at));
    // A number between two records (in a gap) starts at the next one; short forms are padded.
    int i = 300;
    while (Long.parseLong(expected.get(i)) - Long.parseLong(expected.get(i - 1)) < 2) {
      i++;
    }
    String gap = Long.toString(Long.parseLong(expected.get(i)) - 1);
    List<JsonNode> fromGap =
        stream.drain(stream.iterator(0, "AT_SEQUENCE_NUMBER", gap), 1000, null);
    assertEquals(expected.subList(i, expected.size()), sequences(fromGap));
  }

  @Test
  void latestAndAfterTheLastRecordSeeOnlyNewRecords() {
    String[] next = new String[1];
    List<String> expected = writtenSequences(0);
    String latest = stream.iterator(0, "LATEST", null);
    String afterLast =
        stream.iterator(0, "AFTER_SEQUENCE_NUMBER", expected.get(expected.size() - 1));
    assertEquals(0, stream.page(latest, null).body().get("records").size());
    // Shard 0 is shared with the other tests, so what is appended is recorded as written.
    List<StreamRecord> fresh = stream.commit(0, 5);
    written.get(0).addAll(fresh);
    List<String> freshSeqs = fresh.stream().map(r -> r.dynamodb().sequenceNumber()).toList();
    assertEquals(freshSeqs, sequences(stream.drainAtLeast(latest, 1000, next, freshSeqs.size())));
    assertEquals(freshSeqs, sequences(stream.drainAtLeast(afterLast, 2, null, freshSeqs.size())));
    // The end iterator of a drained shard keeps working for later records.
    List<StreamRecord> more = stream.commit(0, 3);
    written.get(0).addAll(more);
    assertEquals(
        more.stream().map(r -> r.dynamodb().sequenceNumber()).toList(),
        sequences(stream.drainAtLeast(next[0], 1000, null, more.size())));
  }

  @Test
  void aPageOfOneRecordAdvancesByOne() {
    String at = stream.iterator(1, "TRIM_HORIZON", null);
    List<String> expected = writtenSequences(1).subList(0, 40);
    List<String> read = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      var page = stream.page(at, 1).body();
      assertEquals(1, page.get("records").size());
      read.add(page.at("/records/0/dynamodb/SequenceNumber").asText());
      at = page.get("nextShardIterator").asText();
    }
    assertEquals(expected, read);
  }

  @Test
  void aPageHoldsAtMostAThousandRecords() {
    var page = stream.page(stream.iterator(0, "TRIM_HORIZON", null), 1000).body();
    assertTrue(written.get(0).size() > 1000);
    assertEquals(1000, page.get("records").size());
    var defaultPage = stream.page(stream.iterator(0, "TRIM_HORIZON", null), null).body();
    assertEquals(1000, defaultPage.get("records").size(), "the default limit is the maximum");
  }
}
