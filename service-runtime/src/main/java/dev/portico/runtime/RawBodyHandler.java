package dev.portico.runtime;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Reads a request's body as bytes whatever its {@code Content-Type}, up to a limit, into {@code
 * ctx.body()}: the body handler of every Portico API.
 *
 * <p>Why not Vert.x's {@code BodyHandler}: it hands an {@code application/x-www-form-urlencoded}
 * body to Netty's form decoder, and that is what {@code curl -d '{...}'} and {@code curl
 * --data-binary @file} send when no content type is given, as the docs' commands do. The decoder
 * refuses a JSON or YAML body with a plain-text 400 before any route runs (a {@code %} that starts
 * no escape, a "field" over 1 KB without {@code =}). Portico's APIs take JSON or YAML documents,
 * never forms. Over the limit (declared, or counted while streaming) the request fails with 413, a
 * broken body stream with 400, for the router's error handlers to answer.
 */
public final class RawBodyHandler implements Handler<RoutingContext> {
  private final long maxBytes;

  private RawBodyHandler(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  public static RawBodyHandler create(long maxBytes) {
    return new RawBodyHandler(maxBytes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (declaredLength(request) > maxBytes) {
      ctx.fail(413);
      return;
    }
    Buffer body = Buffer.buffer();
    if (request.isEnded()) {
      done(ctx, body);
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
            done(ctx, body);
          }
        });
    request.resume();
  }

  /** What Vert.x's BodyHandler does when it has the body: {@code ctx.body()} then serves it. */
  private static void done(RoutingContext ctx, Buffer body) {
    RoutingContextInternal internal = (RoutingContextInternal) ctx;
    internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
    internal.setBody(body);
    ctx.next();
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
