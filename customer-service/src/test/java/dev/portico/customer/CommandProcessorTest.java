package dev.portico.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.JsonSerde;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.StreamRecord;
import dev.portico.customer.state.ChangelogRestorer;
import dev.portico.customer.state.PartitionStore;
import dev.portico.customer.state.Rocks;
import dev.portico.customer.state.TableState;
import dev.portico.kit.TransactionalLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor alone, without a broker (state in a real RocksDB store): replies go to the named
 * address, changes to the stream, state changes to the changelog.
 */
class CommandProcessorTest {
  private static final JsonSerde<FunctionResponse> RESPONSES =
      new JsonSerde<>(FunctionResponse.class);
  private static final JsonSerde<StreamRecord> CHANGES = new JsonSerde<>(StreamRecord.class);

  /** Collects what a transaction sends. */
  static final class Sent implements TransactionalLoop.Transaction {
    final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    long offset;

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
      records.add(record);
      int partition = record.partition() == null ? 0 : record.partition();
      return CompletableFuture.completedFuture(
          new RecordMetadata(new TopicPartition(record.topic(), partition), offset++, 0, 0, 0, 0));
    }

    @Override
    public long startedAtMillis() {
      return 1_000;
    }

    List<ProducerRecord<String, byte[]>> to(String topic) {
      return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }
  }

  @Test
  void shouldReplyToTheRequestsAddressAndEmitOneChangePerEffectiveWrite(@TempDir Path dir) {
    // An empty changelog to restore from: the store starts empty.
    MockConsumer<String, byte[]> changelog = new MockConsumer<>("earliest");
    TopicPartition statePartition = new TopicPartition("state", 0);
    changelog.updateBeginningOffsets(Map.of(statePartition, 0L));
    changelog.updateEndOffsets(Map.of(statePartition, 0L));
    try (Rocks rocks = new Rocks(8 << 20);
        TableState state =
            new TableState(
                "commands", "state", dir, rocks, new ChangelogRestorer(changelog), null)) {
      state.onAssigned(List.of(new TopicPartition("commands", 0)));
      PartitionStore store = state.partition(0);
      CommandProcessor processor =
          new CommandProcessor(
              new ItemTable("", StreamViewType.NEW_AND_OLD_IMAGES),
              null, // no DynamoDB API commands here
              state,
              "commands",
              "changes",
              1);

      var request = Requests.post("{\"customer_id\":\"1230AWS\"}").build();
      var headers = new RecordHeaders();
      ProtocolHeaders.put(headers, ProtocolHeaders.CORRELATION_ID, "c-1");
      ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_TOPIC, "replies.edge");
      ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_PARTITION, "0");
      Sent tx = new Sent();
      long offset = 0;
      for (byte[] value :
          List.of(Json.toBytes(request), Json.toBytes(request), "garbage".getBytes())) {
        processor.process(record(offset++, "1230AWS", value, headers), tx);
      }
      state.beforeCommit(tx);
      state.afterCommit();

      List<ProducerRecord<String, byte[]>> replies = tx.to("replies.edge");
      var first = replies.get(0);
      assertEquals("c-1", first.key());
      assertEquals("c-1", ProtocolHeaders.get(first.headers(), ProtocolHeaders.CORRELATION_ID));
      assertEquals("c-1", ProtocolHeaders.get(first.headers(), ProtocolHeaders.EVENT_ID));
      assertEquals(
          "FunctionResponse", ProtocolHeaders.get(first.headers(), ProtocolHeaders.EVENT_TYPE));
      assertEquals("1", ProtocolHeaders.get(first.headers(), ProtocolHeaders.SCHEMA_VERSION));
      assertEquals(201, status(first));
      assertEquals(200, status(replies.get(1)));
      assertEquals(400, status(replies.get(2)), "an unreadable command still gets an answer");
      assertEquals(3, replies.size());

      List<ProducerRecord<String, byte[]>> changes = tx.to("changes");
      StreamRecord insert = CHANGES.deserialize("changes", changes.get(0).value());
      assertEquals("INSERT", insert.eventName());
      assertEquals(
          1, changes.size(), "the identical second put and the bad command change nothing");
      assertEquals(
          Json.MAPPER.createObjectNode().put("customer_id", "1230AWS"), insert.dynamodb().keys());

      // The item and the sequence number went to the changelog, then into the store.
      List<String> changelogKeys = tx.to("state").stream().map(ProducerRecord::key).toList();
      assertTrue(changelogKeys.contains("Icustomers\0" + "1230AWS"), changelogKeys.toString());
      assertTrue(changelogKeys.contains("Mseq"), changelogKeys.toString());
      assertTrue(store.checkpoint() > 0);
      assertTrue(!store.dirty());
    }
  }

  private static int status(ProducerRecord<String, byte[]> reply) {
    return RESPONSES.deserialize("replies", reply.value()).statusCode();
  }

  private static ConsumerRecord<String, byte[]> record(
      long offset, String key, byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>(
        "commands",
        0,
        offset,
        1_000L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        key,
        value,
        headers,
        java.util.Optional.empty());
  }
}
