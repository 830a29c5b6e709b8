package dev.portico.edge.websocket;

import dev.portico.contracts.RequestEvent;
import dev.portico.edge.api.Integration;
import dev.portico.edge.integration.FunctionOutcomes;
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
   * @param functionOutcome what became of the route's function ({@link RequestEvent.Outcome}), or
   *     {@code null} when no function was reached
   * @param functionDurationMs send to reply, when the function answered
   */
  void message(
      WsConnection c,
      String routeKey,
      String requestId,
      long startMillis,
      long startNanos,
      Integration integration,
      double integrationLatencyMs,
      String errorType,
      String functionOutcome,
      double functionDurationMs) {
    boolean counted = functionOutcome != null && integration instanceof Integration.Kafka;
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
            c.id,
            counted ? ((Integration.Kafka) integration).topic() : null,
            counted ? functionOutcome : null,
            counted && FunctionOutcomes.answered(functionOutcome) ? functionDurationMs : null));
  }

  /**
   * What runs when a function's reply comes after the route's timeout: a {@link
   * RequestEvent#LATE_REPLY} event for the function metrics.
   */
  Runnable lateReply(WsConnection c, String requestId, String function) {
    return () ->
        sink.accept(
            RequestEvent.lateReply(
                requestId,
                System.currentTimeMillis(),
                c.release.apiName(),
                c.release.stage(),
                function));
  }

  /**
   * The connection closed; {@code status} is the close code. {@code function}: the {@code
   * $disconnect} route's function, when Kafka took its event (an {@code ACCEPTED} invocation).
   */
  void disconnect(WsConnection c, String requestId, int closeCode, String function) {
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
            c.id,
            function,
            function == null ? null : RequestEvent.Outcome.ACCEPTED,
            null));
  }
}
