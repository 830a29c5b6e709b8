package dev.portico.alarm.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.contracts.Topic;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;

/**
 * The headers alarm-service puts on its records: the standard ones of the topic (event id, type and
 * schema version, from the registry), and for records that answer an API command, the command's id
 * and, when it failed, why. The API waits for the answer to appear in its view of the compacted
 * topic the record goes to.
 */
public final class EventHeaders {
  /** The id of the API command a record answers. */
  public static final String COMMAND_ID = "portico-command-id";

  /** Present when the command failed: {@code {"status": 404, "message": "..."}}. */
  public static final String COMMAND_ERROR = "portico-command-error";

  private EventHeaders() {}

  /** The standard headers of a record of {@code topic}, with a new event id. */
  public static Headers of(Topic<?> topic) {
    return topic.headers(UUID.randomUUID().toString(), null);
  }

  /** Headers of a record answering the command whose headers are {@code command}. */
  public static Headers answering(Topic<?> topic, Headers command) {
    Headers headers = of(topic);
    String commandId = ProtocolHeaders.get(command, COMMAND_ID);
    if (commandId != null) {
      ProtocolHeaders.put(headers, COMMAND_ID, commandId);
    }
    return headers;
  }

  public static Headers failing(Topic<?> topic, Headers command, int status, String message) {
    Headers headers = answering(topic, command);
    ObjectNode error = Json.MAPPER.createObjectNode().put("status", status).put("message", message);
    ProtocolHeaders.put(headers, COMMAND_ERROR, Json.toString(error));
    return headers;
  }
}
