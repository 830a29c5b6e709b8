package dev.portico.edge.admin;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an admin request's body as raw bytes, whatever its {@code Content-Type}, up to a limit.
 *
 * <p>Why not Vert.x's {@code BodyHandler}: it hands an {@code application/x-www-form-urlencoded}
 * body to Netty's form decoder, and that is what {@code curl --data-binary @api.yaml} and {@code
 * curl -d '{...}'} send. The decoder refuses a "field" over 1 KB without an {@code =} with a
 * plain-text 400 before any route runs. Every admin body is a document (JSON or YAML, told apart by
 * {@link dev.portico.edge.api.OpenApiReader#parse}) or the data of an {@code @connections} POST,
 * never a form, so it is read as bytes. Over the limit (declared, or counted while streaming) the
 * request fails with 413; a broken body stream fails with 400; {@link AdminErrors} answers both.
 */
final class AdminBody implements Handler<RoutingContext> {
  private static final String KEY = AdminBody.class.getName();
  private final long maxBytes;

  AdminBody(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The body read by this handler: empty when the request had none. */
  static byte[] bytes(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? new byte[0] : body.getBytes();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (declaredLength(request) > maxBytes) {
      ctx.fail(413);
      return;
    }
    Buffer body = Buffer.buffer();
    if (request.isEnded()) { // no body came, or it came before the router ran: nothing to read
      ctx.put(KEY, body);
      ctx.next();
      return;
    }
    boolean[] failed = {false};
    request.handler(
        chunk -> {
          if (failed[0]) {
            return;
          }
          if (body.length() + (long) chunk.length() > maxBytes) {
            failed[0] = true;
            ctx.fail(413);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.exceptionHandler(
        e -> {
          if (!failed[0]) {
            failed[0] = true;
            ctx.fail(400, e);
          }
        });
    request.endHandler(
        v -> {
          if (!failed[0]) {
            ctx.put(KEY, body);
            ctx.next();
          }
        });
    request.resume();
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // Netty has already refused a malformed content-length
    }
  }
}
