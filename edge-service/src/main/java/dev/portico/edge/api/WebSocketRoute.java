package dev.portico.edge.api;

/**
 * One WebSocket route: its integration ({@code kafka} or {@code mock}), what {@code $connect}
 * requires (API key, authorizer, scopes; other routes run on an accepted connection), and whether
 * the integration's answer goes back to the client as the route response.
 */
public record WebSocketRoute(
    String routeKey, Integration integration, RouteOptions options, boolean routeResponse) {}
