package dev.portico.customer;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
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
}
