package dev.portico.contracts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka record headers every Portico message carries, and those of the function protocol. Header
 * values are UTF-8 strings.
 */
public final class ProtocolHeaders {
  /** Unique id of this message; consumers dedupe by it. */
  public static final String EVENT_ID = "portico-event-id";

  /** Message type, e.g. {@code FunctionRequest}. */
  public static final String EVENT_TYPE = "portico-event-type";

  /** Schema version of the value, e.g. {@code 1}. */
  public static final String SCHEMA_VERSION = "portico-schema-version";

  /** Request/reply correlation id: the reply carries the id of its request. */
  public static final String CORRELATION_ID = "portico-correlation-id";

  /** Topic the function must send its response event to. */
  public static final String REPLY_TOPIC = "portico-reply-topic";

  /** Partition of {@link #REPLY_TOPIC} owned by the waiting edge instance. */
  public static final String REPLY_PARTITION = "portico-reply-partition";

  /**
   * Epoch milliseconds after which nobody waits for the reply any more; a function may skip work
   * that would only produce a dropped reply.
   */
  public static final String DEADLINE = "portico-deadline";

  private ProtocolHeaders() {}

  public static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The header's value, or {@code null} when absent. */
  public static String get(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
