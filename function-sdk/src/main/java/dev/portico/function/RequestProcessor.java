package dev.portico.function;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionRequestV1;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import dev.portico.contracts.RecordSizes;
import dev.portico.contracts.ReplyAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request event into the records to produce for it: the handler's records and the
 * response event, addressed to the reply partition. No Kafka I/O here, so every rule of the
 * protocol is unit-testable; {@link TransactionalLoop} sends the result in a transaction.
 *
 * <p>A bad event never stops the function: an unreadable request is answered 400, a failing handler
 * 500, and the next request is served.
 */
final class RequestProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);

  static final FunctionResponse MALFORMED_REQUEST = message(400, "Malformed request event");
  static final FunctionResponse INTERNAL_ERROR = message(500, "Internal server error");

  enum Outcome {
    /** The handler answered (a reply was sent if one was wanted). */
    ANSWERED,
    /** The handler failed: 500, its records discarded. */
    HANDLER_FAILED,
    /** The value was not a request event: 400 if a reply was wanted. */
    MALFORMED,
    /** The deadline had passed: the handler was not called, nothing was sent. */
    EXPIRED
  }

  /**
   * @param records everything to produce for this request, reply last
   * @param replied whether {@code records} holds a response event
   * @param handlerRecords how many of {@code records} the handler sent
   * @param handlerSeconds how long the handler ran (failed runs included), or -1 when it was not
   *     called
   */
  record Result(
      Outcome outcome,
      List<ProducerRecord<String, byte[]>> records,
      boolean replied,
      int handlerRecords,
      double handlerSeconds) {}

  private final FunctionHandler handler;
  private final int maxRecordBytes;

  RequestProcessor(FunctionHandler handler, int maxRecordBytes) {
    this.handler = handler;
    this.maxRecordBytes = maxRecordBytes;
  }

  Result process(ConsumerRecord<String, byte[]> event, long nowMillis) {
    ReplyAddress address = replyAddress(event);
    com.fasterxml.jackson.databind.JsonNode tree = tree(event);
    FunctionRequestV1 v1 = isV1(tree) ? read(tree, FunctionRequestV1.class) : null;
    FunctionRequest request = v1 != null ? v1.toV2() : read(tree, FunctionRequest.class);
    if (request == null) {
      LOG.warn("Request event {} is not a FunctionRequest", where(event));
      return answerOnly(Outcome.MALFORMED, address, MALFORMED_REQUEST, -1);
    }
    if (address != null && address.expiredAt(nowMillis)) {
      // Nobody waits any more: the edge would drop the reply as late. Skipping the work also
      // keeps a backlog of stale requests from delaying fresh ones.
      LOG.debug("Skipping {}: its deadline passed", where(event));
      return new Result(Outcome.EXPIRED, List.of(), false, 0, -1);
    }
    FunctionContext context = new FunctionContext(event, address, maxRecordBytes, v1);
    FunctionResponse response;
    long started = System.nanoTime();
    double seconds = -1;
    try {
      response = handler.handle(request, context);
      seconds = (System.nanoTime() - started) / 1e9;
      checkResponse(response);
    } catch (Exception | StackOverflowError | AssertionError e) {
      // Also errors one bad input can cause (deep recursion, a failed assert): they would
      // otherwise stop the function on the same event after every restart. Other errors (out of
      // memory, a missing class) are not about the event and do stop it.
      if (seconds < 0) {
        seconds = (System.nanoTime() - started) / 1e9; // before the log line: not its time
      }
      LOG.error("The handler failed on {}; answering 500", where(event), e);
      return answerOnly(Outcome.HANDLER_FAILED, address, INTERNAL_ERROR, seconds);
    }
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(context.sent());
    if (address != null) {
      ProducerRecord<String, byte[]> reply = address.reply(response);
      if (RecordSizes.estimate(reply) > maxRecordBytes) {
        // Kafka would refuse it and fail the transaction on every retry: answer 500 instead.
        LOG.error(
            "The response to {} is larger than max.request.size ({} bytes); answering 500",
            where(event),
            maxRecordBytes);
        return answerOnly(Outcome.HANDLER_FAILED, address, INTERNAL_ERROR, seconds);
      }
      records.add(reply);
    }
    return new Result(Outcome.ANSWERED, records, address != null, context.sent().size(), seconds);
  }

  private static ReplyAddress replyAddress(ConsumerRecord<String, byte[]> event) {
    try {
      return ReplyAddress.from(event.headers()).orElse(null);
    } catch (IllegalArgumentException badAddress) {
      // Served like an asynchronous invocation: the work is done, the reply cannot be delivered.
      LOG.warn("Dropping the reply to {}: {}", where(event), badAddress.getMessage());
      return null;
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode tree(
      ConsumerRecord<String, byte[]> event) {
    if (event.value() == null) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(event.value());
    } catch (java.io.IOException | RuntimeException notJson) {
      return null;
    }
  }

  /**
   * Whether the event is in the payload format 1.0 (a route with {@code payloadFormatVersion:
   * "1.0"}): the handler then gets it converted to the 2.0 shape, and as sent from its context.
   */
  private static boolean isV1(com.fasterxml.jackson.databind.JsonNode tree) {
    return tree != null && FunctionRequestV1.VERSION.equals(tree.path("version").asText());
  }

  /** The event as {@code type}, or {@code null} when it is not one. */
  private static <T> T read(com.fasterxml.jackson.databind.JsonNode tree, Class<T> type) {
    if (tree == null || !tree.isObject()) {
      return null;
    }
    try {
      return Json.MAPPER.treeToValue(tree, type);
    } catch (java.io.IOException | RuntimeException notARequest) {
      return null;
    }
  }

  private static void checkResponse(FunctionResponse response) {
    if (response == null) {
      throw new IllegalStateException("the handler returned no response");
    }
    if (!response.isWellFormed()) {
      // The edge would answer 502 for it; a 500 with a log line here says whose bug it is.
      throw new IllegalStateException(
          "the handler returned status " + response.statusCode() + ", outside 100-599");
    }
  }

  private static Result answerOnly(
      Outcome outcome, ReplyAddress address, FunctionResponse response, double handlerSeconds) {
    return address == null
        ? new Result(outcome, List.of(), false, 0, handlerSeconds)
        : new Result(outcome, List.of(address.reply(response)), true, 0, handlerSeconds);
  }

  private static FunctionResponse message(int status, String message) {
    return FunctionResponse.json(
        status, Json.MAPPER.createObjectNode().put("message", message).toString(), Map.of());
  }

  static String where(ConsumerRecord<?, ?> event) {
    return event.topic()
        + "-"
        + event.partition()
        + "@"
        + event.offset()
        + Optional.ofNullable(event.key()).map(key -> " (key " + key + ")").orElse("");
  }
}
