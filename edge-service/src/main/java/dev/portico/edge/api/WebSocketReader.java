package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code x-portico-websocket}: {@code routeSelectionExpression} (default {@code
 * $request.body.action}), {@code routes} by key, each with {@code x-portico-integration} ({@code
 * kafka} or {@code mock}), optional {@code security} (on {@code $connect}) and {@code
 * routeResponse}, and {@code channels} (rules of who may subscribe to what).
 */
final class WebSocketReader {
  static final String EXTENSION = "x-portico-websocket";
  static final String DEFAULT_SELECTION = "$request.body.action";
  static final int MAX_CHANNEL_LENGTH = 256;
  private static final Pattern SELECTION = Pattern.compile("\\$request\\.body\\.[A-Za-z0-9_.-]+");
  private static final Pattern ROUTE_KEY = Pattern.compile("\\$?[A-Za-z0-9_.:/-]{1,128}");
  private static final Pattern CHANNEL_PATTERN = Pattern.compile("[^\\s*]*\\*?");

  /** Reads one route's integration, as the REST side does for an operation. */
  interface IntegrationReader {
    Integration read(JsonNode operation, String where, List<String> problems);
  }

  private WebSocketReader() {}

  /** The WebSocket API, or {@code null} when the document has none. */
  static WebSocketApi read(
      JsonNode root,
      SecurityReader security,
      IntegrationReader integrations,
      List<String> problems) {
    JsonNode spec = root.get(EXTENSION);
    if (spec == null) {
      return null;
    }
    if (!spec.isObject()) {
      problems.add(EXTENSION + ": must be an object");
      return null;
    }
    String expression = spec.path("routeSelectionExpression").asText(DEFAULT_SELECTION);
    if (!SELECTION.matcher(expression).matches()) {
      problems.add(
          EXTENSION
              + ".routeSelectionExpression: must be $request.body.<path>, was '"
              + expression
              + "'");
      expression = DEFAULT_SELECTION;
    }
    Map<String, WebSocketRoute> routes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : spec.path("routes").properties()) {
      String key = entry.getKey();
      String where = EXTENSION + ".routes." + key;
      if (!ROUTE_KEY.matcher(key).matches()
          || (key.startsWith("$")
              && !List.of(WebSocketApi.CONNECT, WebSocketApi.DISCONNECT, WebSocketApi.DEFAULT)
                  .contains(key))) {
        problems.add(where + ": not a route key ($connect, $disconnect, $default or a name)");
        continue;
      }
      JsonNode node = entry.getValue();
      Integration integration = integrations.read(node, where, problems);
      if (node.path(OpenApiReader.EXTENSION).has("payloadFormatVersion")) {
        problems.add(
            where
                + ".x-portico-integration.payloadFormatVersion: REST routes only (WebSocket routes"
                + " send the WebSocket event)");
      }
      for (String mapping : List.of("requestParameters", "responseParameters")) {
        if (node.path(OpenApiReader.EXTENSION).has(mapping)) {
          problems.add(where + ".x-portico-integration." + mapping + ": REST routes only");
        }
      }
      if (integration instanceof Integration.Http) {
        problems.add(where + ".x-portico-integration.type: WebSocket routes take kafka or mock");
        continue;
      }
      SecurityReader.Requirement requirement = security.requirement(node, where, problems);
      if (!key.equals(WebSocketApi.CONNECT)
          && (requirement.apiKey() || requirement.authorizer() != null)) {
        problems.add(where + ".security: only $connect is authorized; later frames are not");
      }
      if (integration != null) {
        routes.put(
            key,
            new WebSocketRoute(
                key,
                integration,
                new RouteOptions(
                    requirement.apiKey(),
                    requirement.authorizer(),
                    requirement.scopes(),
                    null,
                    List.of()),
                node.path("routeResponse").asBoolean(false)));
      }
    }
    if (routes.isEmpty() && !spec.has("channels")) {
      problems.add(EXTENSION + ".routes: at least one route (or channels) is required");
    }
    return new WebSocketApi(
        expression,
        List.of(expression.substring("$request.body.".length()).split("\\.")),
        routes,
        channels(spec.path("channels"), problems));
  }

  private static List<ChannelRule> channels(JsonNode node, List<String> problems) {
    List<ChannelRule> rules = new ArrayList<>();
    if (node.isMissingNode()) {
      return rules;
    }
    if (!node.isArray()) {
      problems.add(EXTENSION + ".channels: must be a list of {pattern, scopes}");
      return rules;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode rule = node.get(i);
      String where = EXTENSION + ".channels[" + i + "]";
      String pattern = rule.path("pattern").asText("");
      if (pattern.isEmpty()
          || pattern.length() > MAX_CHANNEL_LENGTH
          || !CHANNEL_PATTERN.matcher(pattern).matches()) {
        problems.add(where + ".pattern: a channel name, or a prefix ending in *");
        continue;
      }
      List<String> scopes = new ArrayList<>();
      rule.path("scopes").forEach(s -> scopes.add(s.asText()));
      rules.add(new ChannelRule(pattern, scopes));
    }
    return rules;
  }
}
