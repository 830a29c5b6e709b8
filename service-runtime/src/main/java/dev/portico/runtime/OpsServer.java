package dev.portico.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operations endpoints every service has on its own port: {@code /health} (alive: 200 UP, or
 * 503 DOWN with the reason once an essential loop stopped with an error, see {@link
 * PorticoService#failure()}), {@code /ready} (Kafka reachable and start-up done) and {@code
 * /metrics} (Prometheus text format). Services with an HTTP API of their own add routes to {@link
 * #router()}.
 */
public final class OpsServer {
  private final Vertx vertx;
  private final HttpEndpoint endpoint;
  private final Router router;
  private HttpServer server;

  public OpsServer(
      Vertx vertx,
      HttpEndpoint endpoint,
      String serviceName,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready,
      Supplier<Optional<String>> failure) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.router = Router.router(vertx);
    router
        .get("/health")
        .handler(
            ctx -> {
              Optional<String> reason = failure.get();
              JsonObject body =
                  new JsonObject()
                      .put("status", reason.isPresent() ? "DOWN" : "UP")
                      .put("service", serviceName);
              reason.ifPresent(r -> body.put("reason", r));
              ctx.response().setStatusCode(reason.isPresent() ? 503 : 200);
              ctx.json(body);
            });
    router
        .get("/ready")
        .handler(
            ctx -> {
              boolean isReady = ready.getAsBoolean();
              ctx.response().setStatusCode(isReady ? 200 : 503);
              ctx.json(
                  new JsonObject()
                      .put("status", isReady ? "READY" : "NOT_READY")
                      .put("service", serviceName));
            });
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
  }

  public Router router() {
    return router;
  }

  public HttpEndpoint endpoint() {
    return endpoint;
  }

  public Future<Void> start() {
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(endpoint.port(), endpoint.host())
        .onSuccess(s -> server = s)
        .mapEmpty();
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int actualPort() {
    return server == null ? endpoint.port() : server.actualPort();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
