package dev.portico.edge.admin;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Turns admin handlers into route handlers. An admin operation blocks (it waits for the config
 * topic), so it runs on a worker; its result is answered as JSON with the route's status, or as the
 * {@link Text} it returned. Every failure goes to {@link AdminErrors}.
 */
final class AdminReplies {
  /** A handler that answers with a value (a record, a map or a list: JSON) or a {@link Text}. */
  @FunctionalInterface
  interface Operation {
    Object apply(AdminRequest request);
  }

  /** A handler with nothing to answer: 204. */
  @FunctionalInterface
  interface Action {
    void run(AdminRequest request);
  }

  /** An answer that is not JSON: a document of the given content type. */
  record Text(String contentType, String body) {}

  private final Vertx vertx;

  AdminReplies(Vertx vertx) {
    this.vertx = vertx;
  }

  Handler<RoutingContext> ok(Operation operation) {
    return ctx -> reply(ctx, 200, operation);
  }

  Handler<RoutingContext> created(Operation operation) {
    return ctx -> reply(ctx, 201, operation);
  }

  Handler<RoutingContext> noContent(Action action) {
    return ctx ->
        reply(
            ctx,
            204,
            request -> {
              action.run(request);
              return null;
            });
  }

  /** Answers with the value {@code operation}'s future completes with (JSON), without a worker. */
  Handler<RoutingContext> later(int status, Function<AdminRequest, Future<?>> operation) {
    return ctx -> {
      Future<?> result;
      try {
        result = operation.apply(AdminRequest.of(ctx));
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(
          r -> {
            if (r.failed()) {
              AdminErrors.fail(ctx, r.cause());
            } else if (status == 204) {
              ctx.response().setStatusCode(204).end();
            } else {
              ctx.response()
                  .setStatusCode(status)
                  .putHeader("content-type", "application/json")
                  .end(Json.toString(r.result()));
            }
          });
    };
  }

  /** Answers with what another party answered (status, headers, body), e.g. a WebSocket replica. */
  Handler<RoutingContext> relay(Function<AdminRequest, Future<FunctionResponse>> operation) {
    return ctx ->
        operation
            .apply(AdminRequest.of(ctx))
            .onComplete(
                r -> {
                  if (r.failed()) {
                    AdminErrors.fail(ctx, r.cause());
                    return;
                  }
                  FunctionResponse answer = r.result();
                  ctx.response().setStatusCode(answer.statusCode());
                  if (answer.headers() != null) {
                    answer.headers().forEach(ctx.response()::putHeader);
                  }
                  ctx.response().end(answer.body() == null ? "" : answer.body());
                });
  }

  private void reply(RoutingContext ctx, int status, Operation operation) {
    AdminRequest request = AdminRequest.of(ctx);
    vertx
        .executeBlocking(() -> operation.apply(request))
        .onComplete(
            r -> {
              if (r.failed()) {
                AdminErrors.fail(ctx, r.cause());
              } else if (status == 204) {
                ctx.response().setStatusCode(204).end();
              } else if (r.result() instanceof Text text) {
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", text.contentType())
                    .end(text.body());
              } else {
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", "application/json")
                    .end(Json.toString(r.result()));
              }
            });
  }
}
