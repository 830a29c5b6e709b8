package dev.portico.edge.steps;

import dev.portico.edge.policy.CorsSettings;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * CORS at the edge, for APIs with {@code x-portico-cors}: answers preflight requests (OPTIONS with
 * {@code Origin} and {@code Access-Control-Request-Method}) itself, 204, ending the chain before
 * routing and the guards; adds the allow headers to every other response. A preflight from an
 * origin or for a method that is not allowed gets 204 without allow headers, as API Gateway answers
 * it: the browser then blocks the call.
 */
public final class Cors implements Step {
  @Override
  public Future<Integer> apply(Exchange ex) {
    CorsSettings cors = ex.release().policies().cors();
    if (cors == null) {
      return NEXT;
    }
    if (isPreflight(ex.request())) {
      preflight(cors, ex.request());
      return Future.succeededFuture(204);
    }
    decorate(cors, ex.request());
    return NEXT;
  }

  static boolean isPreflight(HttpServerRequest request) {
    return request.method() == HttpMethod.OPTIONS
        && request.getHeader("origin") != null
        && request.getHeader("access-control-request-method") != null;
  }

  /** Writes the preflight answer. */
  private static void preflight(CorsSettings cors, HttpServerRequest request) {
    HttpServerResponse response = request.response().setStatusCode(204);
    String origin = cors.allowedOrigin(request.getHeader("origin"));
    String method = request.getHeader("access-control-request-method");
    response.putHeader("vary", "Origin");
    if (origin != null && cors.allowsMethod(method)) {
      response.putHeader("access-control-allow-origin", origin);
      response.putHeader("access-control-allow-methods", String.join(",", cors.allowMethods()));
      String requested = request.getHeader("access-control-request-headers");
      if (!cors.allowHeaders().isEmpty()) {
        response.putHeader("access-control-allow-headers", String.join(",", cors.allowHeaders()));
      } else if (requested != null) {
        response.putHeader("access-control-allow-headers", requested);
      }
      if (cors.allowCredentials()) {
        response.putHeader("access-control-allow-credentials", "true");
      }
      if (cors.maxAge() > 0) {
        response.putHeader("access-control-max-age", Integer.toString(cors.maxAge()));
      }
    }
    response.end();
  }

  /** Adds the allow headers to a non-preflight response of an allowed origin. */
  private static void decorate(CorsSettings cors, HttpServerRequest request) {
    String origin = cors.allowedOrigin(request.getHeader("origin"));
    HttpServerResponse response = request.response();
    response.headers().add("vary", "Origin");
    if (origin == null) {
      return;
    }
    response.putHeader("access-control-allow-origin", origin);
    if (cors.allowCredentials()) {
      response.putHeader("access-control-allow-credentials", "true");
    }
    if (!cors.exposeHeaders().isEmpty()) {
      response.putHeader("access-control-expose-headers", String.join(",", cors.exposeHeaders()));
    }
  }
}
