package dev.portico.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;

/**
 * The ceiling: a bare Vert.x HTTP server answering like the write path, with nothing behind it.
 * Also the backend of the proxy benchmarks ({@code bench.jar bare-server}).
 */
public final class BareVertxServer {
  /** The body the write path returns for a created customer (with status 201). */
  static final Buffer BODY =
      Buffer.buffer(
          "{\"customer_id\":\"1230AWS\",\"customer_name\":\"KilDong\","
              + "\"product_name\":\"laptop\",\"price\":990000}");

  private static final int INSTANCES = 2;

  private final Vertx vertx;

  private BareVertxServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts two server verticles on their own event loops, sharing {@code port}; answers 201. */
  public static Future<BareVertxServer> start(int port) {
    return start(port, 201);
  }

  /** As {@link #start(int)}, answering {@code status} with the same body. */
  public static Future<BareVertxServer> start(int port, int status) {
    // Its own Vert.x instance, so the server never shares an event loop with the load generator.
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(INSTANCES));
    return vertx
        .deployVerticle(
            () -> new Responder(port, status), new DeploymentOptions().setInstances(INSTANCES))
        .map(id -> new BareVertxServer(vertx));
  }

  public Future<Void> stop() {
    return vertx.close();
  }

  /** One event loop's HTTP server: reads the request body, then answers with the fixed JSON. */
  private static final class Responder extends VerticleBase {
    private final int port;
    private final int status;

    Responder(int port, int status) {
      this.port = port;
      this.status = status;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer()
          .requestHandler(
              request ->
                  // Read the body first, as the gateway must, so the ceiling does the same I/O.
                  request
                      .body()
                      .onSuccess(
                          body ->
                              request
                                  .response()
                                  .setStatusCode(status)
                                  .putHeader("content-type", "application/json")
                                  .end(BODY)))
          .listen(port, "127.0.0.1");
    }
  }
}
