package dev.portico.edge.websocket;

import dev.portico.contracts.RequestEvent;
import dev.portico.edge.api.Integration;
import java.util.function.Consumer;

/**
 * WebSocket messages and disconnects as {@link RequestEvent}s on {@code portico.gateway.requests}
 * (the upgrade itself is the data plane's own event), so metrics-service turns them into
 * MessageCount, ClientError, IntegrationError and ExecutionError.
 */
final class WsRequestEvents {
  private final Consumer<RequestEvent> sink;

  WsRequestEvents(Consumer<RequestEvent> sink) {
    this.sink = sink;
  }

  /**
   * One client message's outcome.
   *
   * @param routeKey the route that ran, or {@code null} when none took the message
   * @param errorType {@code ClientError}, {@code IntegrationError}, {@code ExecutionError} or
   *     {@code null}
   */
  void message(
      WsConnection c,
      String routeKey,
      String requestId,
      long startMillis,
      long startNanos,
      Integration integration,
      double integrationLatencyMs,
      String errorType) {
    sink.accept(
        new RequestEvent(
            requestId,
            startMillis,
            c.release.apiName(),
            c.release.stage(),
            c.release.deploymentId(),
            c.release.canary(),
            routeKey,
            null,
            null,
            null,
            200,
            (System.nanoTime() - startNanos) / 1e6,
            integrationLatencyMs,
            integration == null ? null : integration.type(),
            integration == null ? null : integration.target(),
            0,
            c.apiKeyId,
            c.sourceIp,
            c.userAgent,
            null,
            errorType,
            RequestEvent.MESSAGE,
            c.id));
  }

  /** The connection closed; {@code status} is the close code. */
  void disconnect(WsConnection c, String requestId, int closeCode) {
    long now = System.currentTimeMillis();
    sink.accept(
        new RequestEvent(
            requestId,
            now,
            c.release.apiName(),
            c.release.stage(),
            c.release.deploymentId(),
            c.release.canary(),
            "$disconnect",
            null,
            null,
            null,
            closeCode,
            now - c.connectedAt,
            0,
            null,
            null,
            0,
            c.apiKeyId,
            c.sourceIp,
            c.userAgent,
            null,
            null,
            RequestEvent.DISCONNECT,
            c.id));
  }
}
