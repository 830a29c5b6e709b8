package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.view.CommandWaiters;
import dev.portico.contracts.Json;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the API's answers: JSON bodies, and errors as {@code {"message", "problems"?}} with the
 * right status. Nothing the client sends can produce a 500: unexpected failures are logged and
 * answered 503 (the service, not the request, is at fault).
 */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(Json.toString(body));
  }

  static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  static ObjectNode message(String message) {
    return Json.MAPPER.createObjectNode().put("message", message);
  }

  /** Runs a synchronous handler body, turning an {@link ApiError} into its answer. */
  static void handle(RoutingContext ctx, Supplier<Future<?>> handler) {
    Future<?> result;
    try {
      result = handler.get();
    } catch (RuntimeException e) {
      error(ctx, e);
      return;
    }
    if (result != null) {
      result.onFailure(e -> error(ctx, e));
    }
  }

  static void error(RoutingContext ctx, Throwable e) {
    if (ctx.response().ended()) {
      return;
    }
    if (e instanceof ApiError api) {
      ObjectNode body = message(api.getMessage());
      if (!api.problems().isEmpty()) {
        ArrayNode problems = body.putArray("problems");
        api.problems().forEach(problems::add);
      }
      json(ctx, api.status(), body);
    } else if (e instanceof CommandWaiters.CommandTimeout) {
      json(
          ctx,
          503,
          message(
              "The change was accepted but not applied within "
                  + CommandBus.APPLY_TIMEOUT.toSeconds()
                  + " s; it may still be applied"));
    } else {
      LOG.error(
          "Request {} {} failed: {}",
          ctx.request().method(),
          ctx.request().path(),
          e.toString(),
          e);
      json(ctx, 503, message("Service unavailable: " + e.getMessage()));
    }
  }

  /** Fails with the command's outcome unless it was applied. */
  static Future<Void> applied(CommandWaiters.Outcome outcome) {
    if (outcome.applied()) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new ApiError(outcome.status(), outcome.message()));
  }
}
