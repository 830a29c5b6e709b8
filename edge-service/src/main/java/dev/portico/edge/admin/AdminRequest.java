package dev.portico.edge.admin;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * What an admin handler reads of a request: path parameters, query parameters, headers and the body
 * {@link dev.portico.runtime.RawBodyHandler} read. Taken from the routing context on the event
 * loop, so a handler can run on a worker and be unit-tested without a server.
 */
final class AdminRequest {
  private final Map<String, String> pathParams;
  private final MultiMap query;
  private final MultiMap headers;
  private final AdminBody body;

  AdminRequest(Map<String, String> pathParams, MultiMap query, MultiMap headers, Buffer body) {
    this.pathParams = Map.copyOf(pathParams);
    this.query = query;
    this.headers = headers;
    this.body = new AdminBody(body);
  }

  static AdminRequest of(RoutingContext ctx) {
    return new AdminRequest(
        ctx.pathParams(),
        ctx.queryParams(),
        ctx.request().headers(),
        ctx.body() == null ? null : ctx.body().buffer());
  }

  /** A path parameter of the route, e.g. {@code api} of {@code /apis/:api}. */
  String path(String name) {
    return pathParams.get(name);
  }

  /** The first value of a query parameter, or null. */
  String query(String name) {
    return query.get(name);
  }

  /** A header, or null; names are case-insensitive. */
  String header(String name) {
    return headers.get(name);
  }

  AdminBody body() {
    return body;
  }
}
