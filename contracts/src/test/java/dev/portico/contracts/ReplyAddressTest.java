package dev.portico.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ReplyAddressTest {

  static Headers requestHeaders(String partition, String deadline) {
    Headers headers = new RecordHeaders();
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_ID, "c-1");
    ProtocolHeaders.put(headers, ProtocolHeaders.CORRELATION_ID, "c-1");
    ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_TOPIC, "portico.edge.replies");
    if (partition != null) {
      ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_PARTITION, partition);
    }
    if (deadline != null) {
      ProtocolHeaders.put(headers, ProtocolHeaders.DEADLINE, deadline);
    }
    return headers;
  }

  @Test
  void shouldReadTheAddressAndDeadlineFromTheRequestHeaders() {
    ReplyAddress address = ReplyAddress.from(requestHeaders("3", "1000")).orElseThrow();
    assertEquals(new ReplyAddress("portico.edge.replies", 3, "c-1", 1000), address);
    assertEquals(Optional.of(Instant.ofEpochMilli(1000)), address.deadline());
    assertFalse(address.expiredAt(1000), "the deadline itself is still in time");
    assertTrue(address.expiredAt(1001));
  }

  @Test
  void aRequestWithoutReplyHeadersExpectsNoReply() {
    assertEquals(Optional.empty(), ReplyAddress.from(requestHeaders(null, "1000")));
    assertEquals(Optional.empty(), ReplyAddress.from(new RecordHeaders()));
  }

  @Test
  void aMissingOrUnreadableDeadlineNeverExpires() {
    for (String deadline : new String[] {null, "soon"}) {
      ReplyAddress address = ReplyAddress.from(requestHeaders("0", deadline)).orElseThrow();
      assertEquals(ReplyAddress.NO_DEADLINE, address.deadlineMillis());
      assertEquals(Optional.empty(), address.deadline());
      assertFalse(address.expiredAt(Long.MAX_VALUE - 1));
    }
  }

  @Test
  void aBadReplyPartitionShouldBeReported() {
    for (String partition : new String[] {"x", "-1", ""}) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () -> ReplyAddress.from(requestHeaders(partition, null)));
      assertTrue(error.getMessage().contains("c-1"), error.getMessage());
    }
  }

  @Test
  void theReplyShouldGoToExactlyThePartitionWithTheCorrelationId() {
    ReplyAddress address = new ReplyAddress("replies", 2, "c-9", ReplyAddress.NO_DEADLINE);
    FunctionResponse response = FunctionResponse.json(200, "{}", Map.of());
    ProducerRecord<String, byte[]> reply = address.reply(response);
    assertEquals("replies", reply.topic());
    assertEquals(2, reply.partition());
    assertEquals("c-9", reply.key());
    assertEquals(response, Json.fromBytes(reply.value(), FunctionResponse.class));
    assertEquals("c-9", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.CORRELATION_ID));
    assertEquals("c-9", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.EVENT_ID));
    assertEquals(
        "FunctionResponse", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.EVENT_TYPE));
    assertEquals("1", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.SCHEMA_VERSION));
  }
}
