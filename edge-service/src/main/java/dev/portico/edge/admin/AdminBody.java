package dev.portico.edge.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * The admin API's one body parser: the raw bytes, an API document, a JSON object or a record. A
 * body that is missing or is not what the route takes is a 400 {@link AdminException} naming the
 * problem ({@code body: ...}).
 */
final class AdminBody {
  private final Buffer buffer;

  /**
   * @param buffer the body as read, or null when the request had none
   */
  AdminBody(Buffer buffer) {
    this.buffer = buffer;
  }

  /** The bytes as sent; empty when there were none. */
  byte[] bytes() {
    return buffer == null ? new byte[0] : buffer.getBytes();
  }

  /** An API document (YAML or JSON), which the importer reads; required. */
  byte[] document() {
    byte[] bytes = bytes();
    if (bytes.length == 0) {
      throw AdminException.invalid(
          List.of("body: an OpenAPI 3 document (YAML or JSON) is required"));
    }
    return bytes;
  }

  /** A JSON object; required. */
  JsonFields object() {
    return new JsonFields(node(false));
  }

  /** A JSON object as a tree (a DynamoDB-shaped request); required. */
  com.fasterxml.jackson.databind.node.ObjectNode tree() {
    return (com.fasterxml.jackson.databind.node.ObjectNode) node(false);
  }

  /** A JSON object, or an empty one when there is no body. */
  JsonFields objectOrEmpty() {
    return new JsonFields(node(true));
  }

  /** The body as a record; Jackson's complaint (field and line) becomes the 400's problem. */
  <T> T as(Class<T> type) {
    JsonNode body = node(false);
    try {
      // Strict here (unlike on the wire): a misspelt setting must be an error, not a no-op.
      return Json.MAPPER
          .readerFor(type)
          .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(body);
    } catch (IOException | IllegalArgumentException e) {
      String message =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw AdminException.invalid(List.of("body: " + message));
    }
  }

  private JsonNode node(boolean optional) {
    byte[] bytes = bytes();
    if (bytes.length == 0) {
      if (optional) {
        return Json.MAPPER.createObjectNode();
      }
      throw AdminException.invalid(List.of("body: a JSON object is required"));
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw AdminException.invalid(List.of("body: must be a JSON object"));
      }
      return node;
    } catch (IOException e) {
      throw AdminException.invalid(List.of("body: not JSON: " + e.getMessage()));
    }
  }
}
