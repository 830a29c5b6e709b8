package dev.portico.edge.request;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Request bodies against a limit, without holding more than the limit in memory: a body that grows
 * past it fails with {@link TooLarge} as soon as it does, whether it is read or dropped; one that
 * breaks off fails with {@link Broken}. A body with a declared length is checked against the limit
 * before it is read; only a chunked one (or an HTTP/2 one without a {@code content-length}) has to
 * be counted as it streams.
 */
public final class BodyReader {
  /** The body was larger than allowed. */
  public static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /**
   * The body broke off: the client closed the connection, or sent chunks the codec cannot parse.
   * The client's fault, not the gateway's (400 in the access log; there is no one left to answer).
   */
  public static final class Broken extends RuntimeException {
    Broken(Throwable cause) {
      super("the request body broke off: " + cause.getMessage(), cause, false, false);
    }
  }

  private BodyReader() {}

  /**
   * The body's length as the request declares it: its {@code content-length}; 0 for an HTTP/1.x
   * request with neither {@code content-length} nor {@code transfer-encoding}, which has no body
   * (RFC 9112 6.3); -1 when only the body's end will tell (chunked, or HTTP/2 without a length).
   */
  public static long declaredLength(HttpServerRequest request) {
    if (request.headers().contains("transfer-encoding")) {
      return -1;
    }
    String length = request.getHeader("content-length");
    if (length == null) {
      return request.version() == HttpVersion.HTTP_2 ? -1 : 0;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // the codec refuses such requests before they get here
    }
  }

  public static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > maxBytes) {
            request.handler(null);
            promise.tryFail(new TooLarge());
          } else {
            body.appendBuffer(chunk);
          }
        });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(e -> promise.tryFail(new Broken(e)));
    request.resume(); // the gateway pauses every request until its integration reads it
    return promise.future();
  }

  /**
   * Drops a body nobody reads (a mock's, a cached answer's) and completes at its end; fails with
   * {@link TooLarge} as soon as it passes {@code maxBytes}, and keeps dropping the rest. A body
   * whose declared length the gateway has already checked is let through without counting.
   */
  public static Future<Void> discard(HttpServerRequest request, long maxBytes) {
    if (request.isEnded()) {
      return Future.succeededFuture();
    }
    if (declaredLength(request) >= 0) {
      request.resume();
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    long[] seen = {0};
    request.handler(
        chunk -> {
          seen[0] += chunk.length();
          if (seen[0] > maxBytes) {
            promise.tryFail(new TooLarge());
          }
        });
    request.endHandler(v -> promise.tryComplete());
    request.exceptionHandler(e -> promise.tryFail(new Broken(e)));
    request.resume();
    return promise.future();
  }
}
