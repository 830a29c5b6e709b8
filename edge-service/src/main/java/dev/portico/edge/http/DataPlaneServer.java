package dev.portico.edge.http;

import dev.portico.edge.request.Limits;
import dev.portico.edge.tls.ServerCertificate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data plane's HTTP server on {@code eventLoops} event loops: one server per loop on the same
 * port (Vert.x spreads connections across them), so the edge uses every core. The request line is
 * limited to 8 KB (414 beyond) and the header block to 10,240 bytes (431 beyond), both checked by
 * the handler; far larger ones stop at the codec, and {@link MalformedRequests} answers them the
 * same way; idle connections (slow clients included) are closed after {@code idleTimeoutMillis}.
 * WebSocket upgrades are served on the same port.
 *
 * <p>With a {@link ServerCertificate} the port serves HTTPS only (WebSockets as {@code wss://}),
 * and ALPN offers HTTP/2 next to HTTP/1.1; the limits hold for HTTP/2 too (the handler checks them
 * the same way). Without one it serves plain HTTP/1.1.
 */
public final class DataPlaneServer {
  private final Vertx vertx;
  private final Handler<HttpServerRequest> handler;
  private final int eventLoops;
  private final int idleTimeoutMillis;
  private final int maxWebSocketMessageBytes;
  private final ServerCertificate certificate;
  private final AtomicInteger port = new AtomicInteger();
  private final Set<Integer> bound = ConcurrentHashMap.newKeySet();
  private final Set<HttpServer> servers = ConcurrentHashMap.newKeySet();
  private volatile int requested;
  private String deployment;

  public DataPlaneServer(
      Vertx vertx,
      Handler<HttpServerRequest> handler,
      int eventLoops,
      int idleTimeoutMillis,
      int maxWebSocketMessageBytes,
      ServerCertificate certificate) {
    this.vertx = vertx;
    this.certificate = certificate;
    this.handler = handler;
    this.eventLoops = eventLoops;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.maxWebSocketMessageBytes = maxWebSocketMessageBytes;
  }

  /**
   * Binds every loop to {@code requestedPort}; Vert.x shares one listening socket among servers of
   * the same address in different verticle instances. Port 0 (a random port, for tests) runs one
   * loop: Vert.x would give each loop a random port of its own.
   */
  public Future<Void> listen(String host, int requestedPort) {
    requested = requestedPort;
    int loops = requestedPort == 0 ? 1 : eventLoops;
    return vertx
        .deployVerticle(() -> new Loop(host), new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> deployment = id)
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "data plane cannot listen on " + host + ":" + requestedPort + ": " + e, e)))
        .mapEmpty();
  }

  public int actualPort() {
    if (bound.size() > 1) {
      throw new IllegalStateException("data-plane loops bound different ports: " + bound);
    }
    return port.get();
  }

  /** The listening servers, one per loop (to replace their certificate). */
  public List<HttpServer> servers() {
    return List.copyOf(servers);
  }

  /** Stops accepting; each server lets its in-flight requests finish. */
  public Future<Void> shutdown() {
    if (deployment == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deployment);
  }

  private final class Loop extends VerticleBase {
    private final String host;
    private HttpServer server;

    Loop(String host) {
      this.host = host;
    }

    @Override
    public Future<?> start() {
      HttpServerOptions options =
          new HttpServerOptions()
              // Plain HTTP is HTTP/1.1 only: a client asking to upgrade to cleartext HTTP/2 (h2c)
              // stays on HTTP/1.1. HTTP/2 is offered over TLS, by ALPN.
              .setHttp2ClearTextEnabled(false)
              // HTTP/2's header-list cap, like Netty's for HTTP/1.1 below: a backstop past the
              // handler's exact limit (JSON 431).
              .setInitialSettings(
                  new Http2Settings().setMaxHeaderListSize(2 * Limits.MAX_HEADER_BLOCK_BYTES))
              // The URL limit (8 KB) is checked by the handler, with a JSON 414; the line may
              // add the longest method and the protocol version.
              .setMaxInitialLineLength(Limits.MAX_URL_BYTES + 32)
              // The exact header-block limit is the handler's (JSON 431); Netty's cap is a
              // backstop that does not count line ends.
              .setMaxHeaderSize(2 * Limits.MAX_HEADER_BLOCK_BYTES)
              .setIdleTimeout(idleTimeoutMillis)
              .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
              // A WebSocket message (and any one frame of it) over the limit closes the
              // connection with 1009.
              .setMaxWebSocketFrameSize(maxWebSocketMessageBytes)
              .setMaxWebSocketMessageSize(maxWebSocketMessageBytes)
              // Deflate costs a compressor per socket (hundreds of KB) and CPU per frame;
              // channel fan-out to thousands of sockets cannot afford either.
              .setPerMessageWebSocketCompressionSupported(false)
              .setPerFrameWebSocketCompressionSupported(false);
      if (certificate != null) {
        certificate.applyTo(options);
      }
      return vertx
          .createHttpServer(options)
          .requestHandler(handler)
          // Past the codec's caps the request never reaches the handler; answer it alike.
          .invalidRequestHandler(new MalformedRequests())
          .listen(requested, host)
          .onSuccess(
              s -> {
                server = s;
                servers.add(s);
                bound.add(s.actualPort());
                port.compareAndSet(0, s.actualPort());
              });
    }

    @Override
    public Future<?> stop() {
      return server == null ? Future.succeededFuture() : server.shutdown();
    }
  }
}
