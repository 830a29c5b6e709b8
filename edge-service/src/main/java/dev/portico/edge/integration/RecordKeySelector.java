package dev.portico.edge.integration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.edge.routing.RouteMatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Evaluates a record-key selection expression ({@code $request.path.X}, {@code $request.body.X},
 * {@code $request.header.X}, {@code $request.querystring.X}) against a request. Anything
 * unresolvable (no such value, a body that is not a JSON object, a non-string value) gives {@code
 * null}: the record then has no key and the function decides what is wrong with the request.
 */
public final class RecordKeySelector {
  private RecordKeySelector() {}

  public static String select(
      String expression, HttpServerRequest request, RouteMatch match, Buffer body) {
    if (expression == null) {
      return null;
    }
    int dot = expression.indexOf('.', "$request.".length());
    String source = expression.substring("$request.".length(), dot);
    String name = expression.substring(dot + 1);
    return switch (source) {
      case "path" -> match.pathParameters().get(name);
      case "header" -> request.getHeader(name);
      case "querystring" -> request.getParam(name);
      case "body" -> fromBody(body, name);
      default -> null;
    };
  }

  private static String fromBody(Buffer body, String name) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body.getBytes());
      JsonNode value = node == null ? null : node.get(name);
      return value != null && value.isTextual() ? value.asText() : null;
    } catch (Exception notJson) {
      return null;
    }
  }
}
