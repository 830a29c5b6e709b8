package dev.portico.edge.websocket;

import dev.portico.contracts.WebSocketEvent;
import dev.portico.edge.integration.FunctionRequests;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the request events of WebSocket routes' {@code kafka} integrations. */
final class WebSocketEvents {
  static final String CONNECT = "CONNECT";
  static final String MESSAGE = "MESSAGE";
  static final String DISCONNECT = "DISCONNECT";

  private WebSocketEvents() {}

  static WebSocketEvent connect(
      WsConnection c, String requestId, Map<String, String> headers, Map<String, String> query) {
    return new WebSocketEvent(
        headers, query, null, false, context(c, CONNECT, "$connect", requestId, null, null, null));
  }

  static WebSocketEvent message(
      WsConnection c, String routeKey, String requestId, String body, boolean base64) {
    return new WebSocketEvent(
        null, null, body, base64, context(c, MESSAGE, routeKey, requestId, requestId, null, null));
  }

  static WebSocketEvent disconnect(WsConnection c, String requestId, Short code, String reason) {
    return new WebSocketEvent(
        null,
        null,
        null,
        false,
        context(
            c,
            DISCONNECT,
            "$disconnect",
            requestId,
            null,
            code == null ? null : code.intValue(),
            reason));
  }

  private static WebSocketEvent.RequestContext context(
      WsConnection c,
      String type,
      String routeKey,
      String requestId,
      String messageId,
      Integer closeCode,
      String closeReason) {
    return new WebSocketEvent.RequestContext(
        c.release.apiName(),
        c.release.stage(),
        requestId,
        routeKey,
        type,
        c.id,
        messageId,
        c.connectedAt,
        System.currentTimeMillis(),
        new WebSocketEvent.Identity(c.sourceIp, c.userAgent),
        FunctionRequests.authorizer(c.claims, c.apiKeyId, c.authorizer),
        closeCode,
        closeReason);
  }

  /** Single-valued view of a multi-map (the last value wins, as API Gateway's v2 payload). */
  static Map<String, String> flatten(Iterable<Map.Entry<String, String>> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries) {
      out.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
    }
    return out;
  }
}
