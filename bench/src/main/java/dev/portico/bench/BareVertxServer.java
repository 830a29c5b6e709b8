package dev.portico.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;

/** The ceiling: a bare Vert.x HTTP server answering like the write path, with nothing behind it. */
public final class BareVertxServer {
  /** The body and status the write path returns for a created customer. */
  static final Buffer BODY =
      Buffer.buffer(
          "{\"customer_id\":\"1230AWS\",\"customer_name\":\"KilDong\","
              + "\"product_name\":\"laptop\",\"price\":990000}");

  private static final int INSTANCES = 2;

  private final Vertx vertx;

  private BareVertxServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts two server verticles on their own event loops, sharing {@code port}. */
  public static Future<BareVertxServer> start(int port) {
    // Its own Vert.x instance, so the server never shares an event loop with the load generator.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(INSTANCES));
    return vertx
        .deployVerticle(() -> new Responder(port), new DeploymentOptions().setInstances(INSTANCES))
        .map(id -> new BareVertxServer(vertx));
  }

  public Future<Void> stop() {
    return vertx.close();
  }

  /** One event loop's HTTP server: reads the request body, then answers 201 with the fixed JSON. */
  private static final class Responder extends VerticleBase {
    private final int port;

    Responder(int port) {
      this.port = port;
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
                                  .setStatusCode(201)
                                  .putHeader("content-type", "application/json")
                                  .end(BODY)))
          .listen(port, "127.0.0.1");
    }
  }
}
