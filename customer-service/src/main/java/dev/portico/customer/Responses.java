package dev.portico.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Response events of the customers table, JSON bodies in the gateway's error style. */
final class Responses {
  private Responses() {}

  static FunctionResponse message(int status, String message) {
    return FunctionResponse.json(
        status, Json.MAPPER.createObjectNode().put("message", message).toString(), Map.of());
  }

  static FunctionResponse item(int status, StoredItem stored) {
    return FunctionResponse.json(status, stored.item().toString(), Map.of("etag", stored.etag()));
  }

  /** A failed precondition; with the current item when the caller asked for it. */
  static FunctionResponse conditionFailed(int status, String message, StoredItem current) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("message", message);
    if (current != null) {
      body.set("item", current.item());
    }
    return FunctionResponse.json(status, body.toString(), Map.of());
  }

  /**
   * A write's answer, shaped by {@code returns}: {@code NONE} gives no body (201 stays 201, other
   * statuses become 204); {@code UPDATED_*} keeps only the {@code touched} attributes (every
   * attribute for a put). The ETag is the item's version after the write, when it exists.
   */
  static FunctionResponse image(
      int status,
      JsonNode newImage,
      ReturnValues returns,
      List<String> touched,
      StoredItem before,
      StoredItem after) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (after != null) {
      headers.put("etag", after.etag());
    }
    JsonNode body =
        switch (returns) {
          case NONE -> null;
          case ALL_OLD -> before == null ? null : before.item();
          case ALL_NEW -> newImage;
          case UPDATED_OLD -> only(before == null ? null : before.item(), touched);
          case UPDATED_NEW -> only(after == null ? null : after.item(), touched);
        };
    if (body == null) {
      return new FunctionResponse(status == 201 ? 201 : 204, Map.copyOf(headers), null, false);
    }
    return FunctionResponse.json(status == 204 ? 200 : status, body.toString(), headers);
  }

  private static JsonNode only(JsonNode item, List<String> attributes) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (item == null) {
      return out;
    }
    for (String name : attributes == null ? iterable(item) : attributes) {
      if (item.has(name)) {
        out.set(name, item.get(name));
      }
    }
    return out;
  }

  private static List<String> iterable(JsonNode item) {
    List<String> names = new java.util.ArrayList<>();
    item.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static FunctionResponse withHeader(FunctionResponse response, String name, String value) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (response.headers() != null) {
      headers.putAll(response.headers());
    }
    headers.put(name, value);
    return new FunctionResponse(
        response.statusCode(), Map.copyOf(headers), response.body(), response.isBase64Encoded());
  }
}
