package dev.portico.contracts;

import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Where the response event to a request event goes, read from the request's headers: the reply
 * topic, exactly the partition the waiting edge instance reads, and the correlation id to copy onto
 * the reply. Every Java responder (customer-service, the function SDK) addresses its replies
 * through this one class, so they cannot drift apart.
 *
 * @param deadlineMillis epoch ms after which nobody waits for the reply, or {@link #NO_DEADLINE}
 */
public record ReplyAddress(String topic, int partition, String correlationId, long deadlineMillis) {

  /** The deadline of a request that names none: it never expires. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  /** Event type header value of every response event. */
  public static final String EVENT_TYPE = Topics.EDGE_REPLIES.eventType(null);

  /** Schema version header value of response events. */
  public static final String SCHEMA_VERSION = Topic.SCHEMA_VERSION;

  /**
   * The reply address of a request event; empty when the request expects no reply (an asynchronous
   * invocation carries no reply topic, partition or correlation id).
   *
   * @throws IllegalArgumentException when the reply partition is not a non-negative integer: the
   *     request wants a reply that cannot be delivered, which callers log and drop
   */
  public static Optional<ReplyAddress> from(Headers headers) {
    String topic = ProtocolHeaders.get(headers, ProtocolHeaders.REPLY_TOPIC);
    String partition = ProtocolHeaders.get(headers, ProtocolHeaders.REPLY_PARTITION);
    String correlationId = ProtocolHeaders.get(headers, ProtocolHeaders.CORRELATION_ID);
    if (topic == null || partition == null || correlationId == null) {
      return Optional.empty();
    }
    int replyPartition;
    try {
      replyPartition = Integer.parseInt(partition.trim());
    } catch (NumberFormatException e) {
      replyPartition = -1;
    }
    if (replyPartition < 0) {
      throw new IllegalArgumentException(
          "bad reply partition '" + partition + "' in the request of " + correlationId);
    }
    return Optional.of(
        new ReplyAddress(
            topic,
            replyPartition,
            correlationId,
            deadline(ProtocolHeaders.get(headers, ProtocolHeaders.DEADLINE))));
  }

  /**
   * A missing or unreadable deadline means "no deadline": doing work nobody waits for costs less
   * than dropping work somebody does wait for.
   */
  private static long deadline(String value) {
    if (value == null) {
      return NO_DEADLINE;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return NO_DEADLINE;
    }
  }

  public Optional<Instant> deadline() {
    return deadlineMillis == NO_DEADLINE
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(deadlineMillis));
  }

  /** True when the waiting edge has given up by {@code nowMillis}: a reply would be dropped. */
  public boolean expiredAt(long nowMillis) {
    return nowMillis > deadlineMillis;
  }

  /**
   * The headers of the reply: the correlation id the edge matches on, and the standard message
   * headers. The event id is the correlation id, so a reply produced again after a retry carries
   * the same id and consumers can dedupe it.
   */
  public Headers replyHeaders() {
    Headers headers = Topics.EDGE_REPLIES.headers(correlationId, null);
    ProtocolHeaders.put(headers, ProtocolHeaders.CORRELATION_ID, correlationId);
    return headers;
  }

  /**
   * The reply record: to this topic and exactly this partition (it belongs to the waiting edge
   * instance; any other partition is never read), keyed by the correlation id, value the response
   * event as JSON.
   */
  public ProducerRecord<String, byte[]> reply(FunctionResponse response) {
    ProducerRecord<String, byte[]> record =
        Topics.EDGE_REPLIES
            .named(topic)
            .record(partition, null, correlationId, response, correlationId);
    ProtocolHeaders.put(record.headers(), ProtocolHeaders.CORRELATION_ID, correlationId);
    return record;
  }
}
