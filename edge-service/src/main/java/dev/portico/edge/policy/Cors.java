package dev.portico.edge.policy;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * CORS at the edge: answers preflight requests (OPTIONS with {@code Origin} and {@code
 * Access-Control-Request-Method}) itself, and adds the allow headers to actual responses. A
 * preflight from an origin or for a method that is not allowed gets 204 without allow headers, as
 * API Gateway answers it: the browser then blocks the call.
 */
public final class Cors {
  private Cors() {}

  public static boolean isPreflight(HttpServerRequest request) {
    return request.method() == HttpMethod.OPTIONS
        && request.getHeader("origin") != null
        && request.getHeader("access-control-request-method") != null;
  }

  /** Writes the preflight answer. */
  public static void preflight(CorsSettings cors, HttpServerRequest request) {
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
  public static void decorate(CorsSettings cors, HttpServerRequest request) {
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
