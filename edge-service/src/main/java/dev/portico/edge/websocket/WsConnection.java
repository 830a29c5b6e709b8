package dev.portico.edge.websocket;

import dev.portico.edge.request.AuthorizerResult;
import dev.portico.edge.serving.Release;
import io.vertx.core.Context;
import io.vertx.core.Future;
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
  final AuthorizerResult authorizer;
  final Set<String> channels = ConcurrentHashMap.newKeySet();

  /**
   * Bytes written to the socket but not yet handed to the OS: what a client that does not read
   * makes the edge hold. Only touched on {@link #context}. (Vert.x's own write-queue flag does not
   * see Netty's outbound buffer grow, so the edge counts for itself.)
   */
  private long pendingBytes;

  private final long maxPendingBytes;

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
      String apiKeyId,
      AuthorizerResult authorizer,
      long maxPendingBytes) {
    this.id = id;
    this.socket = socket;
    this.context = context;
    this.release = release;
    this.connectedAt = connectedAt;
    this.sourceIp = sourceIp;
    this.userAgent = userAgent;
    this.claims = claims;
    this.apiKeyId = apiKeyId;
    this.authorizer = authorizer;
    this.maxPendingBytes = maxPendingBytes;
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

  /**
   * Writes a text frame unless the client already has its outbound buffer's worth pending (text is
   * counted in characters: bytes for the ASCII JSON Portico sends); call on {@link #context}.
   */
  Sent sendText(String text) {
    Sent check = check();
    if (check == Sent.OK) {
      track(text.length(), socket.writeFinalTextFrame(text));
    }
    return check;
  }

  /** Writes a binary frame, as {@link #sendText}. */
  Sent sendBinary(Buffer bytes) {
    Sent check = check();
    if (check == Sent.OK) {
      track(bytes.length(), socket.writeFinalBinaryFrame(bytes));
    }
    return check;
  }

  private Sent check() {
    if (socket.isClosed()) {
      return Sent.CLOSED;
    }
    return pendingBytes >= maxPendingBytes ? Sent.BUFFER_FULL : Sent.OK;
  }

  private void track(int bytes, Future<Void> written) {
    pendingBytes += bytes;
    lastSentAt = System.currentTimeMillis();
    written.onComplete(r -> pendingBytes -= bytes);
  }

  void close(short code, String reason) {
    if (!socket.isClosed()) {
      socket.close(code, reason);
    }
  }

  private static final java.time.format.DateTimeFormatter ISO_MILLIS =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  /**
   * A time as clients see it ({@code @connections}, {@code whoami}): ISO-8601 UTC, always with
   * milliseconds ({@code 2026-12-05T10:15:30.120Z}), so that it parses with one pattern.
   */
  static String isoMillis(long epochMillis) {
    return ISO_MILLIS.format(java.time.Instant.ofEpochMilli(epochMillis));
  }
}
