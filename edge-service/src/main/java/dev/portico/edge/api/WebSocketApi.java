package dev.portico.edge.api;

import java.util.List;
import java.util.Map;

/**
 * The WebSocket side of an API ({@code x-portico-websocket}): how a client frame picks its route,
 * the routes by key ({@code $connect}, {@code $disconnect}, {@code $default} and custom keys), and
 * which channels clients may subscribe to.
 *
 * @param selectionPath the JSON path of {@code $request.body.<path>} that selects the route, split
 *     at dots
 * @param channels who may subscribe to what; empty = the built-in {@code subscribe} and {@code
 *     unsubscribe} actions are off and those keys route like any other
 */
public record WebSocketApi(
    String routeSelectionExpression,
    List<String> selectionPath,
    Map<String, WebSocketRoute> routes,
    List<ChannelRule> channels) {
  public static final String CONNECT = "$connect";
  public static final String DISCONNECT = "$disconnect";
  public static final String DEFAULT = "$default";
  public static final String SUBSCRIBE = "subscribe";
  public static final String UNSUBSCRIBE = "unsubscribe";

  /** The built-in action that tells a client its own connection id (unless a route takes it). */
  public static final String WHOAMI = "whoami";

  public WebSocketApi {
    selectionPath = List.copyOf(selectionPath);
    routes = Map.copyOf(routes);
    channels = List.copyOf(channels);
  }

  public WebSocketRoute route(String key) {
    return routes.get(key);
  }

  public boolean channelsEnabled() {
    return !channels.isEmpty();
  }

  /** The rule that lets a client subscribe to {@code channel}, or {@code null}. */
  public ChannelRule channelRule(String channel) {
    return channels.stream().filter(r -> r.matches(channel)).findFirst().orElse(null);
  }

  /** This API with the stage's variables substituted into its integrations' targets. */
  public WebSocketApi resolve(Map<String, String> stageVariables) {
    Map<String, WebSocketRoute> resolved = new java.util.HashMap<>();
    routes.forEach(
        (key, route) ->
            resolved.put(
                key,
                new WebSocketRoute(
                    key,
                    route.integration().resolve(stageVariables),
                    route.options(),
                    route.routeResponse())));
    return new WebSocketApi(routeSelectionExpression, selectionPath, resolved, channels);
  }
}
