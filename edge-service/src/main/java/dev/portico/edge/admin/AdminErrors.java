package dev.portico.edge.admin;

import dev.portico.edge.request.CodecErrors;
import dev.portico.edge.request.GatewayError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's one error mapper: every error it answers is JSON {@code {"message",
 * "problems"?}}, whoever found it. The routes throw {@link AdminException}s; the router's own
 * failures (unknown path 404, wrong method 405, body too large 413, a broken body 400) and Netty's
 * refusals of a request it could not decode (a request line over its cap 414, a header block over
 * its cap 431, anything else malformed 400) come here too, instead of Vert.x's plain-text or empty
 * answers. An unexpected failure is logged and answered 500 without details.
 */
final class AdminErrors {
  private static final Logger LOG = LoggerFactory.getLogger(AdminErrors.class);

  private AdminErrors() {}

  /** Installs the mapper for every 4xx and 5xx status the router may fail a request with. */
  static void install(Router router, long maxBodyBytes) {
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, ctx -> routerFailure(ctx, maxBodyBytes));
    }
  }

  /** A route's failure: an {@link AdminException} is the answer; anything else is a 500. */
  static void fail(RoutingContext ctx, Throwable cause) {
    if (cause instanceof AdminException e) {
      send(ctx.response(), e.status(), e.getMessage(), e.problems());
    } else {
      LOG.error("Admin request {} {} failed", ctx.request().method(), ctx.request().path(), cause);
      send(ctx.response(), 500, "Internal server error", List.of());
    }
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: a request Netty could not decode, with the status
   * the data plane gives it ({@link CodecErrors}).
   */
  static void invalidRequest(HttpServerRequest request) {
    GatewayError error = CodecErrors.of(request);
    // The admin API has always said what was wrong with the request in its 400.
    String message =
        error == GatewayError.BAD_REQUEST ? "Bad Request: malformed HTTP request" : error.message();
    HttpServerResponse response = request.response();
    response.putHeader("connection", "close");
    send(response, error.status(), message, List.of());
    request.connection().close();
  }

  private static void routerFailure(RoutingContext ctx, long maxBodyBytes) {
    if (ctx.failure() instanceof AdminException || isUnexpected(ctx)) {
      fail(ctx, ctx.failure());
      return;
    }
    int status = ctx.statusCode();
    String path = ctx.request().method() + " " + ctx.request().path();
    String message =
        switch (status) {
          case 404 -> "No such admin resource: " + path;
          case 405 -> "Method not allowed: " + path;
          case 413 -> "Request body over " + maxBodyBytes + " bytes";
          case 400 -> "Bad Request" + (ctx.failure() == null ? "" : ": the body could not be read");
          default -> "Request failed with status " + status;
        };
    if (!ctx.request().isEnded()) {
      // The rest of the body is not read: the connection cannot carry another request.
      ctx.response().putHeader("connection", "close");
    }
    send(ctx.response(), status, message, List.of());
  }

  /** A failure that is not a status the router chose: a bug, or an error thrown by a handler. */
  private static boolean isUnexpected(RoutingContext ctx) {
    return ctx.statusCode() == 500 || (ctx.failure() != null && ctx.statusCode() == -1);
  }

  static void send(HttpServerResponse response, int status, String message, List<String> problems) {
    if (response.headWritten()) {
      response.reset(); // too late for an answer: cut the response rather than corrupt it
      return;
    }
    JsonObject body = new JsonObject().put("message", message);
    if (!problems.isEmpty()) {
      body.put("problems", problems);
    }
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
