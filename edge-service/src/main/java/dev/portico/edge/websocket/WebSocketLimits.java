package dev.portico.edge.websocket;

import dev.portico.runtime.ConfigReader;
import java.time.Duration;

/**
 * The WebSocket limits of one edge replica, each from a {@code PORTICO_EDGE_WS_*} variable.
 *
 * @param maxMessageBytes {@code PORTICO_EDGE_WS_MAX_MESSAGE_BYTES} (131072 = 128 KB): a bigger
 *     client message closes the connection with 1009; a bigger {@code @connections} POST gets 413
 * @param idleTimeout {@code PORTICO_EDGE_WS_IDLE_TIMEOUT_MS} (10 min): no frame from the client for
 *     this long closes the connection (1001)
 * @param maxConnectionAge {@code PORTICO_EDGE_WS_MAX_CONNECTION_MS} (2 h): connections are closed
 *     (1001) at this age
 * @param connectRate {@code PORTICO_EDGE_WS_CONNECT_RATE} (500): new connections per second per
 *     replica, with a burst of two seconds' worth ({@link ConnectRate}); beyond it the upgrade gets
 *     429
 * @param maxConnections {@code PORTICO_EDGE_WS_MAX_CONNECTIONS} (50000): open connections per
 *     replica; beyond it the upgrade gets 429
 * @param outboundBufferBytes {@code PORTICO_EDGE_WS_OUTBOUND_BUFFER_BYTES} (1 MiB): bytes queued to
 *     a client that does not read; beyond it a channel message closes the connection with 1013 and
 *     a {@code @connections} POST gets 429
 * @param maxSubscriptions {@code PORTICO_EDGE_WS_MAX_SUBSCRIPTIONS} (100): channels per connection
 */
public record WebSocketLimits(
    int maxMessageBytes,
    Duration idleTimeout,
    Duration maxConnectionAge,
    int connectRate,
    int maxConnections,
    int outboundBufferBytes,
    int maxSubscriptions) {
  public static final WebSocketLimits DEFAULTS =
      new WebSocketLimits(
          131_072, Duration.ofMinutes(10), Duration.ofHours(2), 500, 50_000, 1 << 20, 100);

  public static WebSocketLimits read(ConfigReader env) {
    return new WebSocketLimits(
        env.integer("PORTICO_EDGE_WS_MAX_MESSAGE_BYTES", 131_072, 1_024, 16 * 1024 * 1024),
        env.millis(
            "PORTICO_EDGE_WS_IDLE_TIMEOUT_MS",
            Duration.ofMinutes(10),
            Duration.ofMillis(200),
            Duration.ofHours(24)),
        env.millis(
            "PORTICO_EDGE_WS_MAX_CONNECTION_MS",
            Duration.ofHours(2),
            Duration.ofMillis(500),
            Duration.ofDays(7)),
        env.integer("PORTICO_EDGE_WS_CONNECT_RATE", 500, 1, 1_000_000),
        env.integer("PORTICO_EDGE_WS_MAX_CONNECTIONS", 50_000, 1, 10_000_000),
        env.integer("PORTICO_EDGE_WS_OUTBOUND_BUFFER_BYTES", 1 << 20, 16 * 1024, 1 << 30),
        env.integer("PORTICO_EDGE_WS_MAX_SUBSCRIPTIONS", 100, 1, 10_000));
  }

  public WebSocketLimits withIdleTimeout(Duration idle) {
    return new WebSocketLimits(
        maxMessageBytes,
        idle,
        maxConnectionAge,
        connectRate,
        maxConnections,
        outboundBufferBytes,
        maxSubscriptions);
  }
}
