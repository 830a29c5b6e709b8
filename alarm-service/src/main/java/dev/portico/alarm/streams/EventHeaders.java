package dev.portico.alarm.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers alarm-service puts on its records: Portico's event id, type and schema version, and
 * for records that answer an API command, the command's id and, when it failed, why. The API waits
 * for the answer to appear in its view of the compacted topic the record goes to.
 */
public final class EventHeaders {
  /** The id of the API command a record answers. */
  public static final String COMMAND_ID = "portico-command-id";

  /** Present when the command failed: {@code {"status": 404, "message": "..."}}. */
  public static final String COMMAND_ERROR = "portico-command-error";

  private EventHeaders() {}

  public static Headers of(String eventType) {
    Headers headers = new RecordHeaders();
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_ID, UUID.randomUUID().toString());
    ProtocolHeaders.put(headers, ProtocolHeaders.EVENT_TYPE, eventType);
    ProtocolHeaders.put(headers, ProtocolHeaders.SCHEMA_VERSION, "1");
    return headers;
  }

  /** Headers of a record answering the command whose headers are {@code command}. */
  public static Headers answering(String eventType, Headers command) {
    Headers headers = of(eventType);
    String commandId = ProtocolHeaders.get(command, COMMAND_ID);
    if (commandId != null) {
      ProtocolHeaders.put(headers, COMMAND_ID, commandId);
    }
    return headers;
  }

  public static Headers failing(String eventType, Headers command, int status, String message) {
    Headers headers = answering(eventType, command);
    ObjectNode error = Json.MAPPER.createObjectNode().put("status", status).put("message", message);
    ProtocolHeaders.put(headers, COMMAND_ERROR, Json.toString(error));
    return headers;
  }
}
