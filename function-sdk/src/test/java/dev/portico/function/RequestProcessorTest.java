package dev.portico.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The protocol rules of one request, without a broker. */
class RequestProcessorTest {
  static final long NOW = 1_000_000;
  static final int LIMIT = 10_000;

  final AtomicInteger calls = new AtomicInteger();

  static ConsumerRecord<String, byte[]> event(byte[] value, Headers headers) {
    return new ConsumerRecord<>(
        "fn", 1, 42, 0L, TimestampType.CREATE_TIME, 0, 0, "ada", value, headers, Optional.empty());
  }

  static ConsumerRecord<String, byte[]> syncEvent(String name) {
    return event(Events.requestBytes(name), Events.headers("c-1", "replies", 3, NOW + 5_000));
  }

  RequestProcessor processor(FunctionHandler handler) {
    return new RequestProcessor(
        (request, context) -> {
          calls.incrementAndGet();
          return handler.handle(request, context);
        },
        LIMIT);
  }

  static FunctionResponse body(ProducerRecord<String, byte[]> reply) {
    return Json.fromBytes(reply.value(), FunctionResponse.class);
  }

  @Test
  void theReplyShouldGoToTheReplyPartitionWithTheCorrelationId() {
    List<Object> seen = new ArrayList<>();
    var result =
        processor(
                (request, context) -> {
                  seen.add(request.pathParameters().get("name"));
                  seen.add(context.key());
                  seen.add(context.correlationId().orElseThrow());
                  seen.add(context.deadline().orElseThrow().toEpochMilli());
                  return FunctionResponse.json(200, "{\"hi\":1}", Map.of("x-a", "b"));
                })
            .process(syncEvent("ada"), NOW);
    assertEquals(List.of("ada", "ada", "c-1", NOW + 5_000), seen);
    assertEquals(RequestProcessor.Outcome.ANSWERED, result.outcome());
    assertTrue(result.replied());
    ProducerRecord<String, byte[]> reply = result.records().get(0);
    assertEquals("replies", reply.topic());
    assertEquals(3, reply.partition());
    assertEquals("c-1", reply.key());
    assertEquals("c-1", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.CORRELATION_ID));
    assertEquals(
        "FunctionResponse", ProtocolHeaders.get(reply.headers(), ProtocolHeaders.EVENT_TYPE));
    assertEquals(FunctionResponse.json(200, "{\"hi\":1}", Map.of("x-a", "b")), body(reply));
  }

  @Test
  void aPayload10EventShouldReachTheHandlerInBothShapes() {
    String v1 =
        """
        {"version": "1.0", "resource": "/orders/{id}", "path": "/orders/7", "httpMethod": "GET",
         "headers": {"X-Multi": "2"}, "multiValueHeaders": {"X-Multi": ["1", "2"]},
         "queryStringParameters": {"tag": "b"}, "multiValueQueryStringParameters": {"tag": ["a", "b"]},
         "pathParameters": {"id": "7"},
         "requestContext": {"apiId": "orders", "stage": "prod", "requestId": "r-1",
           "resourcePath": "/orders/{id}", "httpMethod": "GET", "path": "/prod/orders/7",
           "identity": {"sourceIp": "10.0.0.7", "userAgent": "curl"},
           "requestTimeEpoch": 1795312800000},
         "body": null, "isBase64Encoded": false}
        """;
    List<Object> seen = new ArrayList<>();
    var result =
        processor(
                (request, context) -> {
                  var original = context.v1Request().orElseThrow();
                  seen.add(original.multiValueQueryStringParameters().get("tag"));
                  seen.add(original.requestContext().identity().sourceIp());
                  seen.add(request.routeKey());
                  seen.add(request.rawPath());
                  seen.add(request.headers().get("x-multi"));
                  seen.add(request.queryStringParameters().get("tag"));
                  seen.add(request.pathParameters().get("id"));
                  return FunctionResponse.json(200, "{}", Map.of());
                })
            .process(
                event(
                    v1.getBytes(StandardCharsets.UTF_8),
                    Events.headers("c-1", "replies", 3, NOW + 5_000)),
                NOW);
    assertEquals(RequestProcessor.Outcome.ANSWERED, result.outcome());
    assertEquals(
        List.of(
            List.of("a", "b"), "10.0.0.7", "GET /orders/{id}", "/prod/orders/7", "1,2", "a,b", "7"),
        seen);
  }

  @Test
  void aPayload20EventShouldHaveNoV1Request() {
    processor(
            (request, context) -> {
              assertTrue(context.v1Request().isEmpty());
              return FunctionResponse.json(200, "{}", Map.of());
            })
        .process(syncEvent("ada"), NOW);
    assertEquals(1, calls.get());
  }

  @Test
  void handlerRecordsShouldPrecedeTheReply() {
    var result =
        processor(
                (request, context) -> {
                  context.send("audit", "ada", "seen");
                  context.send("audit", "ada", new byte[] {1});
                  return FunctionResponse.json(201, "{}", Map.of());
                })
            .process(syncEvent("ada"), NOW);
    assertEquals(3, result.records().size());
    assertEquals(2, result.handlerRecords());
    assertEquals("audit", result.records().get(0).topic());
    assertEquals("seen", new String(result.records().get(0).value(), StandardCharsets.UTF_8));
    assertEquals("replies", result.records().get(2).topic());
  }

  @Test
  void aFailingHandlerShouldAnswer500AndLoseItsRecords() {
    var result =
        processor(
                (request, context) -> {
                  context.send("audit", "ada", "half done");
                  throw new IllegalStateException("boom");
                })
            .process(syncEvent("ada"), NOW);
    assertEquals(RequestProcessor.Outcome.HANDLER_FAILED, result.outcome());
    assertEquals(1, result.records().size(), "only the reply");
    FunctionResponse reply = body(result.records().get(0));
    assertEquals(500, reply.statusCode());
    assertEquals("{\"message\":\"Internal server error\"}", reply.body());
    assertEquals("application/json", reply.headers().get("content-type"));
  }

  @Test
  void aStackOverflowOnOneEventIsAHandlerFailureToo() {
    var result =
        processor(
                (request, context) -> {
                  throw new StackOverflowError();
                })
            .process(syncEvent("ada"), NOW);
    assertEquals(RequestProcessor.Outcome.HANDLER_FAILED, result.outcome());
    assertEquals(500, body(result.records().get(0)).statusCode());
  }

  @Test
  void aNullOrOutOfRangeResponseIsAHandlerFailure() {
    for (FunctionResponse bad :
        new FunctionResponse[] {null, new FunctionResponse(600, Map.of(), "", false)}) {
      var result = processor((request, context) -> bad).process(syncEvent("ada"), NOW);
      assertEquals(RequestProcessor.Outcome.HANDLER_FAILED, result.outcome());
      assertEquals(500, body(result.records().get(0)).statusCode());
    }
  }

  @Test
  void aMalformedEventShouldBeAnswered400WithoutCallingTheHandler() {
    for (byte[] value : new byte[][] {"not json".getBytes(), "[1]".getBytes(), "null".getBytes()}) {
      var result =
          processor((request, context) -> FunctionResponse.json(200, "{}", Map.of()))
              .process(event(value, Events.headers("c-2", "replies", 0, NOW + 1)), NOW);
      assertEquals(RequestProcessor.Outcome.MALFORMED, result.outcome());
      FunctionResponse reply = body(result.records().get(0));
      assertEquals(400, reply.statusCode());
      assertEquals("{\"message\":\"Malformed request event\"}", reply.body());
    }
    var tombstone =
        processor((request, context) -> null)
            .process(event(null, Events.headers("c-3", "replies", 0, NOW + 1)), NOW);
    assertEquals(RequestProcessor.Outcome.MALFORMED, tombstone.outcome());
    assertEquals(0, calls.get());
  }

  @Test
  void aMalformedEventWithoutReplyAddressIsSkipped() {
    var result =
        processor((request, context) -> null)
            .process(event("{".getBytes(), new RecordHeaders()), NOW);
    assertEquals(RequestProcessor.Outcome.MALFORMED, result.outcome());
    assertEquals(List.of(), result.records());
  }

  @Test
  void anExpiredRequestShouldNotReachTheHandler() {
    var result =
        processor((request, context) -> FunctionResponse.json(200, "{}", Map.of()))
            .process(
                event(Events.requestBytes("ada"), Events.headers("c-1", "replies", 0, NOW - 1)),
                NOW);
    assertEquals(RequestProcessor.Outcome.EXPIRED, result.outcome());
    assertEquals(List.of(), result.records());
    assertEquals(0, calls.get());
  }

  @Test
  void anAsynchronousRequestRunsTheHandlerAndSendsNoReply() {
    var result =
        processor(
                (request, context) -> {
                  assertFalse(context.expectsReply());
                  assertEquals(Optional.empty(), context.deadline());
                  context.send("audit", "ada", "done");
                  return FunctionResponse.json(202, "{}", Map.of());
                })
            .process(event(Events.requestBytes("ada"), new RecordHeaders()), NOW);
    assertEquals(RequestProcessor.Outcome.ANSWERED, result.outcome());
    assertFalse(result.replied());
    assertEquals(List.of("audit"), result.records().stream().map(r -> r.topic()).toList());
  }

  @Test
  void aBadReplyPartitionIsServedWithoutAReply() {
    Headers headers = Events.headers("c-1", "replies", 0, NOW + 1);
    ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_PARTITION, "zero");
    var result =
        processor((request, context) -> FunctionResponse.json(200, "{}", Map.of()))
            .process(event(Events.requestBytes("ada"), headers), NOW);
    assertEquals(RequestProcessor.Outcome.ANSWERED, result.outcome());
    assertEquals(List.of(), result.records());
    assertEquals(1, calls.get());
  }

  @Test
  void recordsAndRepliesOverTheSizeLimitAreRefusedBeforeKafkaSeesThem() {
    byte[] big = new byte[LIMIT];
    var send =
        processor(
                (request, context) -> {
                  var error =
                      assertThrows(
                          IllegalArgumentException.class, () -> context.send("audit", "k", big));
                  assertTrue(error.getMessage().contains("max.request.size"));
                  throw error;
                })
            .process(syncEvent("ada"), NOW);
    assertEquals(RequestProcessor.Outcome.HANDLER_FAILED, send.outcome());

    var reply =
        processor((request, context) -> FunctionResponse.json(200, "x".repeat(LIMIT), Map.of()))
            .process(syncEvent("ada"), NOW);
    assertEquals(RequestProcessor.Outcome.HANDLER_FAILED, reply.outcome());
    assertEquals(500, body(reply.records().get(0)).statusCode());
  }
}
