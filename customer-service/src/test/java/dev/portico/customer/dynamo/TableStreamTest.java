package dev.portico.customer.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.StreamRecord;
import dev.portico.customer.ChangeContext;
import dev.portico.table.catalog.TableDefinition;
import dev.portico.table.key.KeySchema;
import dev.portico.table.key.KeyType;
import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.DynamoJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableStreamTest {
  private static final long CREATED = 1_796_000_000_123L; // 2026-11-30T00:53:20.123Z
  private static final KeySchema KEY = new KeySchema("pk", KeyType.S, "sk", KeyType.N);

  /** Hands out 41, 42, ...; event ids name the sequence number. */
  private static final class Context implements ChangeContext {
    long next = 41;

    @Override
    public long nowMillis() {
      return 1_796_100_000_999L;
    }

    @Override
    public String nextSequenceNumber() {
      return ChangeContext.format(next++);
    }

    @Override
    public String eventId(String sequenceNumber) {
      return "id-" + sequenceNumber;
    }
  }

  private static TableDefinition table(String view) {
    return new TableDefinition("Orders", KEY, null, view, CREATED, null);
  }

  private static Map<String, AttributeValue> item(String json) {
    return DynamoJson.readItem(read(json));
  }

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String OLD =
      "{\"pk\":{\"S\":\"c1\"},\"sk\":{\"N\":\"7\"},\"tags\":{\"SS\":[\"a\",\"b\"]}}";
  private static final String NEW =
      "{\"pk\":{\"S\":\"c1\"},\"sk\":{\"N\":\"7\"},\"blob\":{\"B\":\"AAE=\"},\"n\":{\"N\":\"1.5\"}}";

  @Test
  void aModifyWithBothImagesShouldCarryTypedKeysAndImagesAndTheStreamArn() {
    TableStream stream = TableStream.forTest(table("NEW_AND_OLD_IMAGES"), new Context());

    StreamRecord record = stream.record(item(OLD), item(NEW));

    assertEquals(StreamRecord.MODIFY, record.eventName());
    assertEquals("aws:dynamodb", record.eventSource());
    assertEquals("1.1", record.eventVersion());
    assertEquals("id-000000000000000000041", record.eventID());
    assertEquals(
        "arn:aws:dynamodb:local:000000000000:table/Orders/stream/2026-11-30T00:53:20.123",
        record.eventSourceARN());
    StreamRecord.Change change = record.dynamodb();
    assertEquals(read("{\"pk\":{\"S\":\"c1\"},\"sk\":{\"N\":\"7\"}}"), change.keys());
    // Key order as in the key schema: partition key first.
    assertEquals("pk", change.keys().fieldNames().next());
    assertEquals(read(NEW), change.newImage());
    assertEquals(read(OLD), change.oldImage());
    assertEquals("000000000000000000041", change.sequenceNumber());
    assertEquals(1_796_100_000L, change.approximateCreationDateTime());
    assertEquals("NEW_AND_OLD_IMAGES", change.streamViewType());
    assertEquals(
        Json.toBytes(change.keys()).length
            + Json.toBytes(change.newImage()).length
            + Json.toBytes(change.oldImage()).length,
        change.sizeBytes());
    assertNull(record.userIdentity());
  }

  @Test
  void eachViewTypeShouldKeepItsImagesOnly() {
    Context context = new Context();
    StreamRecord insert = TableStream.forTest(table("NEW_IMAGE"), context).record(null, item(NEW));
    assertEquals(StreamRecord.INSERT, insert.eventName());
    assertEquals(read(NEW), insert.dynamodb().newImage());
    assertNull(insert.dynamodb().oldImage());

    StreamRecord remove = TableStream.forTest(table("OLD_IMAGE"), context).record(item(OLD), null);
    assertEquals(StreamRecord.REMOVE, remove.eventName());
    assertNull(remove.dynamodb().newImage());
    assertEquals(read(OLD), remove.dynamodb().oldImage());
    assertEquals(read("{\"pk\":{\"S\":\"c1\"},\"sk\":{\"N\":\"7\"}}"), remove.dynamodb().keys());

    StreamRecord keysOnly =
        TableStream.forTest(table("KEYS_ONLY"), context).record(item(OLD), item(NEW));
    assertNull(keysOnly.dynamodb().newImage());
    assertNull(keysOnly.dynamodb().oldImage());
    // One counter: sequence numbers increase from record to record.
    assertEquals("000000000000000000043", keysOnly.dynamodb().sequenceNumber());
  }

  @Test
  void aRecordShouldReadBackAsWritten() {
    StreamRecord record =
        TableStream.forTest(table("NEW_AND_OLD_IMAGES"), new Context()).record(null, item(NEW));
    assertEquals(
        record,
        Json.MAPPER.convertValue(read(new String(Json.toBytes(record))), StreamRecord.class));
  }

  @Test
  void aTableWithoutAStreamShouldWriteNothing() {
    assertSame(ItemChanges.NONE, TableStream.of(table(null), new Context(), 0, "t", r -> {}));
  }
}
