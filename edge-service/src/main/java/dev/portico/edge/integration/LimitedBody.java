package dev.portico.edge.integration;

import dev.portico.edge.request.GatewayError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed to a backend, cut off with 413 once it passes the limit: a chunked upload
 * has no {@code content-length} to check up front, so the bytes are counted as they pass. A body
 * that breaks off (the client left, or sent chunks the codec cannot parse) is the client's error,
 * 400, not the backend's.
 */
final class LimitedBody implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final long maxBytes;
  private final Handler<IntegrationException> onFailed;
  private long seen;
  private boolean exceeded;

  /**
   * @param onFailed told when the body passes the limit (the stream then never ends) or breaks off
   */
  LimitedBody(ReadStream<Buffer> source, long maxBytes, Handler<IntegrationException> onFailed) {
    this.source = source;
    this.maxBytes = maxBytes;
    this.onFailed = onFailed;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(
        handler == null
            ? null
            : e -> {
              onFailed.handle(
                  new IntegrationException(
                      GatewayError.BAD_REQUEST, "the request body broke off: " + e.getMessage()));
              handler.handle(e);
            });
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(
        chunk -> {
          seen += chunk.length();
          if (exceeded) {
            return;
          }
          if (seen > maxBytes) {
            exceeded = true;
            onFailed.handle(
                new IntegrationException(
                    GatewayError.REQUEST_TOO_LARGE, "request body over " + maxBytes + " bytes"));
          } else {
            handler.handle(chunk);
          }
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(
        endHandler == null
            ? null
            : v -> {
              if (!exceeded) {
                endHandler.handle(v);
              }
            });
    return this;
  }
}
