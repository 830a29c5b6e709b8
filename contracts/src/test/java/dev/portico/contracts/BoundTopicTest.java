package dev.portico.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class BoundTopicTest {

  static String header(Headers headers, String name) {
    return ProtocolHeaders.get(headers, name);
  }

  static <V> ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record) {
    return new ConsumerRecord<>(record.topic(), 0, 0, record.key(), record.value());
  }

  @Test
  void aRecordShouldCarryTheStandardHeadersAndItsTopicsFullName() {
    BoundTopic<StreamRecord> changes = Topics.CUSTOMER_CHANGES.in("t1.");
    ProducerRecord<String, byte[]> record =
        changes.record("1230AWS", ContractsTest.change(), "9b2f");
    assertEquals("t1.customers.changes", record.topic());
    assertEquals("1230AWS", record.key());
    assertEquals("9b2f", header(record.headers(), ProtocolHeaders.EVENT_ID));
    assertEquals("StreamRecord", header(record.headers(), ProtocolHeaders.EVENT_TYPE));
    assertEquals("1", header(record.headers(), ProtocolHeaders.SCHEMA_VERSION));
    assertEquals(ContractsTest.change(), changes.read(consumed(record)));
  }

  @Test
  void aTombstoneShouldNameTheTopicsTypeAndReadAsNull() {
    BoundTopic<StreamRecord> changes = Topics.CUSTOMER_CHANGES.in("t1.");
    ProducerRecord<String, byte[]> record = changes.tombstone("1230AWS");
    assertNull(record.value());
    assertEquals("StreamRecord", header(record.headers(), ProtocolHeaders.EVENT_TYPE));
    assertTrue(header(record.headers(), ProtocolHeaders.EVENT_ID).length() > 10, "a new id");
    assertNull(changes.read(consumed(record)));
  }

  @Test
  void bytesThatAreNotTheTopicsTypeShouldBeAnIllegalArgumentNamingTheType() {
    var bad =
        new ConsumerRecord<>(
            "t1.customers.changes", 0, 0, "k", "not json".getBytes(StandardCharsets.UTF_8));
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> Topics.CUSTOMER_CHANGES.in("t1.").read(bad));
    assertTrue(error.getMessage().contains("StreamRecord"), error.getMessage());
  }

  @Test
  void aRecordForAnExactPartitionShouldKeepItAndTheTimestamp() {
    var record =
        Topics.EDGE_REPLIES
            .named("edge.replies.x")
            .record(3, 42L, "c-1", new FunctionResponse(200, Map.of(), "ok", false), "c-1");
    assertEquals(3, record.partition());
    assertEquals(42L, record.timestamp());
    assertEquals("edge.replies.x", record.topic());
    assertEquals("FunctionResponse", header(record.headers(), ProtocolHeaders.EVENT_TYPE));
  }

  @Test
  void functionEventsShouldBeReadBackAsTheFormatTheirVersionNames() {
    TopicCodec<FunctionEvent> codec = FunctionEvent.CODEC;
    FunctionEvent v2 = codec.decode("k", codec.encode(ContractsTest.request()));
    assertEquals(ContractsTest.request(), v2);
    assertInstanceOf(
        WebSocketEvent.class,
        codec.decode("k", "{\"body\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        IllegalArgumentException.class,
        () -> codec.decode("k", "[".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theByteCodecShouldPassBytesThrough() {
    byte[] bytes = {1, 2, 3};
    var record = Topics.TABLE_STATE.in("p.").record("Ik", bytes, "e");
    assertArrayEquals(bytes, record.value());
    assertArrayEquals(bytes, Topics.TABLE_STATE.in("p.").read(consumed(record)));
  }
}
