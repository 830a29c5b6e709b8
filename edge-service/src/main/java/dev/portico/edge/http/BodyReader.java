package dev.portico.edge.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit without holding more than the limit in memory: a body that
 * grows past it fails with {@link TooLarge} as soon as it does.
 */
public final class BodyReader {
  /** The body was larger than allowed. */
  public static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("request body too large", null, false, false);
    }
  }

  private BodyReader() {}

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
    request.exceptionHandler(promise::tryFail);
    request.resume(); // the gateway pauses every request until its integration reads it
    return promise.future();
  }
}
