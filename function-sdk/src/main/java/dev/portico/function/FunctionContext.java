package dev.portico.function;

import dev.portico.contracts.FunctionRequestV1;
import dev.portico.contracts.RecordSizes;
import dev.portico.contracts.ReplyAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * What a handler knows about the request event beyond its body, and its way to emit records into
 * the function's transaction. One context per request; not thread-safe (handlers run on the
 * function's thread).
 */
public final class FunctionContext {
  private final ConsumerRecord<String, byte[]> request;
  private final ReplyAddress replyAddress;
  private final int maxRecordBytes;
  private final List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
  private final FunctionRequestV1 v1Request;

  FunctionContext(
      ConsumerRecord<String, byte[]> request,
      ReplyAddress replyAddress,
      int maxRecordBytes,
      FunctionRequestV1 v1Request) {
    this.request = request;
    this.replyAddress = replyAddress;
    this.maxRecordBytes = maxRecordBytes;
    this.v1Request = v1Request;
  }

  /**
   * The request event as it came when the route sends the payload format 1.0 (API Gateway REST API
   * style: {@code httpMethod}, {@code resource}, {@code multiValueHeaders}, ...); empty for 2.0.
   * The handler's {@code FunctionRequest} is the same request in the 2.0 shape either way.
   */
  public Optional<FunctionRequestV1> v1Request() {
    return Optional.ofNullable(v1Request);
  }

  /** The request event's record key (the route's key expression), or {@code null}. */
  public String key() {
    return request.key();
  }

  /** The request event's Kafka headers. */
  public Headers headers() {
    return request.headers();
  }

  public String topic() {
    return request.topic();
  }

  public int partition() {
    return request.partition();
  }

  public long offset() {
    return request.offset();
  }

  /** The correlation id (the edge's request id), when a reply is expected. */
  public Optional<String> correlationId() {
    return Optional.ofNullable(replyAddress).map(ReplyAddress::correlationId);
  }

  /** When the waiting edge gives up; empty when nobody waits (asynchronous invocation). */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(replyAddress).flatMap(ReplyAddress::deadline);
  }

  /** False for an asynchronous invocation: the response is not sent anywhere. */
  public boolean expectsReply() {
    return replyAddress != null;
  }

  /** Sends a record in the function's transaction: visible only if the response commits. */
  public void send(String topic, String key, byte[] value) {
    send(new ProducerRecord<>(topic, key, value));
  }

  /** {@link #send(String, String, byte[])} with a UTF-8 text value. */
  public void send(String topic, String key, String value) {
    send(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends a record (with a partition, timestamp or headers of its own) in the function's
   * transaction.
   *
   * @throws IllegalArgumentException when the record is larger than the producer accepts ({@code
   *     max.request.size}): checked here, because Kafka would fail the whole transaction on it,
   *     again on every retry
   */
  public void send(ProducerRecord<String, byte[]> record) {
    int size = RecordSizes.estimate(record);
    if (size > maxRecordBytes) {
      throw new IllegalArgumentException(
          "a record of about "
              + size
              + " bytes for "
              + record.topic()
              + " exceeds the producer's limit of "
              + maxRecordBytes
              + " bytes (max.request.size)");
    }
    sent.add(record);
  }

  List<ProducerRecord<String, byte[]>> sent() {
    return sent;
  }
}
