package dev.portico.edge.websocket;

import dev.portico.edge.serving.Release;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client's WebSocket on this replica: who it is (from {@code $connect}), which release serves
 * it, what it subscribed to, and when it last spoke. Writes happen on the socket's own event loop.
 */
public final class WsConnection {
  final String id;
  final ServerWebSocket socket;
  final Context context;
  final Release release;
  final long connectedAt;
  final String sourceIp;
  final String userAgent;
  final Map<String, Object> claims;
  final String apiKeyId;
  final Set<String> channels = ConcurrentHashMap.newKeySet();

  /** Last frame from the client (idle timeout), and last frame to it (keep-alive pings). */
  volatile long lastActiveAt;

  volatile long lastSentAt;

  WsConnection(
      String id,
      ServerWebSocket socket,
      Context context,
      Release release,
      long connectedAt,
      String sourceIp,
      String userAgent,
      Map<String, Object> claims,
      String apiKeyId) {
    this.id = id;
    this.socket = socket;
    this.context = context;
    this.release = release;
    this.connectedAt = connectedAt;
    this.sourceIp = sourceIp;
    this.userAgent = userAgent;
    this.claims = claims;
    this.apiKeyId = apiKeyId;
    this.lastActiveAt = connectedAt;
    this.lastSentAt = connectedAt;
  }

  public String id() {
    return id;
  }

  /** What a send did: written, refused because the client does not read, or the socket is gone. */
  enum Sent {
    OK,
    BUFFER_FULL,
    CLOSED
  }

  /** Writes a text frame; call on {@link #context}. */
  Sent sendText(String text) {
    if (socket.isClosed()) {
      return Sent.CLOSED;
    }
    if (socket.writeQueueFull()) {
      return Sent.BUFFER_FULL;
    }
    socket.writeFinalTextFrame(text);
    lastSentAt = System.currentTimeMillis();
    return Sent.OK;
  }

  /** Writes a binary frame; call on {@link #context}. */
  Sent sendBinary(Buffer bytes) {
    if (socket.isClosed()) {
      return Sent.CLOSED;
    }
    if (socket.writeQueueFull()) {
      return Sent.BUFFER_FULL;
    }
    socket.writeFinalBinaryFrame(bytes);
    lastSentAt = System.currentTimeMillis();
    return Sent.OK;
  }

  void close(short code, String reason) {
    if (!socket.isClosed()) {
      socket.close(code, reason);
    }
  }
}
