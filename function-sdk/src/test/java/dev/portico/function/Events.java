package dev.portico.function;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Request events as the edge writes them. */
final class Events {
  private Events() {}

  static FunctionRequest request(String name) {
    return new FunctionRequest(
        FunctionRequest.VERSION,
        "GET /hello/{name}",
        "/prod/hello/" + name,
        "",
        Map.of("accept", "application/json"),
        null,
        Map.of("name", name),
        null,
        null,
        false,
        new FunctionRequest.RequestContext(
            "hello-api",
            "prod",
            "req-" + name,
            "GET /hello/{name}",
            new FunctionRequest.Http("GET", "/prod/hello/" + name, "HTTP/1.1", "127.0.0.1", "t"),
            null,
            "21/Nov/2026:10:00:00 +0000",
            1_795_000_000_000L));
  }

  static byte[] requestBytes(String name) {
    return Json.toBytes(request(name));
  }

  /** The headers of a synchronous request event. */
  static Headers headers(
      String correlationId, String replyTopic, int replyPartition, long deadlineMillis) {
    Headers headers = new RecordHeaders();
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_ID, correlationId);
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_TYPE, "FunctionRequest");
    ProtocolHeaders.put(headers, ProtocolHeaders.SCHEMA_VERSION, "1");
    ProtocolHeaders.put(headers, ProtocolHeaders.CORRELATION_ID, correlationId);
    ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_TOPIC, replyTopic);
    ProtocolHeaders.put(headers, ProtocolHeaders.REPLY_PARTITION, Integer.toString(replyPartition));
    ProtocolHeaders.put(headers, ProtocolHeaders.DEADLINE, Long.toString(deadlineMillis));
    return headers;
  }
}
