package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The table's input rules: a body is one JSON object; the key attribute is a string of 1-255
 * characters; an item is at most 400 KB of UTF-8 JSON including attribute names.
 */
final class ItemValidation {
  static final String KEY = "customer_id";
  static final int MAX_KEY_LENGTH = 255;
  static final int MAX_ITEM_BYTES = 400 * 1024;

  /** Bad input, with the status and message to answer. */
  static final class Invalid extends Exception {
    final int status;

    Invalid(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private ItemValidation() {}

  static ObjectNode bodyObject(FunctionRequest request) throws Invalid {
    String body = request.body();
    if (body == null || body.isBlank()) {
      throw new Invalid(400, "The request body must be a JSON object (it was empty)");
    }
    byte[] bytes =
        request.isBase64Encoded() ? decodeBase64(body) : body.getBytes(StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (Exception e) {
      throw new Invalid(400, "Malformed JSON in the request body: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new Invalid(400, "The request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static String key(JsonNode value) throws Invalid {
    if (value == null || value.isNull() || value.isMissingNode()) {
      throw new Invalid(400, "Missing the key attribute " + KEY);
    }
    if (!value.isTextual()) {
      throw new Invalid(400, "The key attribute " + KEY + " must be a string");
    }
    return checkKey(value.asText());
  }

  static String checkKey(String key) throws Invalid {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new Invalid(400, "The key attribute " + KEY + " must be 1 to 255 characters long");
    }
    return key;
  }

  static void checkSize(ObjectNode item) throws Invalid {
    int size = Json.toBytes(item).length;
    if (size > MAX_ITEM_BYTES) {
      throw new Invalid(
          413, "Item size has exceeded the maximum allowed size of 400 KB (" + size + " bytes)");
    }
  }

  private static byte[] decodeBase64(String body) throws Invalid {
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new Invalid(400, "The request body is not valid base64");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
