package dev.portico.edge.api;

import java.util.List;

/**
 * A named set of routes, as read from one OpenAPI document, with its API-wide policies and, when
 * the document has {@code x-portico-websocket}, its WebSocket routes ({@code null} otherwise).
 */
public record ApiDefinition(
    String name, List<Route> routes, ApiPolicies policies, WebSocketApi websocket) {
  public ApiDefinition {
    routes = List.copyOf(routes);
  }

  public ApiDefinition(String name, List<Route> routes) {
    this(name, routes, ApiPolicies.NONE, null);
  }
}
