package dev.portico.edge.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.edge.api.WebSocketApi;

/**
 * Picks the route of a client message, as API Gateway does: the value at the selection expression's
 * JSON path names the route; a path that is absent selects {@code ""}; a message that is not a JSON
 * object, or a key with no route, goes to {@code $default}; with no {@code $default} there is no
 * route ({@code null}) and the client gets an error frame.
 */
public final class RouteSelector {
  private RouteSelector() {}

  /** The selected route key (before falling back to {@code $default}), or {@code null}. */
  public static String selectionKey(WebSocketApi api, JsonNode message) {
    if (message == null || !message.isObject()) {
      return null;
    }
    JsonNode node = message;
    for (String step : api.selectionPath()) {
      node = node.path(step);
    }
    if (node.isMissingNode() || node.isNull()) {
      return "";
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** The route key to run for {@code text}, or {@code null} when no route takes it. */
  public static String route(WebSocketApi api, String text) {
    return route(api, parse(text));
  }

  public static String route(WebSocketApi api, JsonNode message) {
    String key = selectionKey(api, message);
    if (key != null && !key.startsWith("$") && api.route(key) != null) {
      return key;
    }
    return api.route(WebSocketApi.DEFAULT) != null ? WebSocketApi.DEFAULT : null;
  }

  /** The message as JSON, or {@code null} when it is not JSON. */
  public static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception notJson) {
      return null;
    }
  }
}
