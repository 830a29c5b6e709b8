package dev.portico.edge.request;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * The answer to a request the HTTP codec refused before any handler could see it, for the data
 * plane and the admin API alike: a request line past the codec's cap is 414, a header block past it
 * 431, anything else it could not parse 400.
 */
public final class CodecErrors {
  private CodecErrors() {}

  /** The error for a request whose {@link HttpServerRequest#decoderResult()} failed. */
  public static GatewayError of(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    if (cause instanceof TooLongHttpLineException) {
      return GatewayError.URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return GatewayError.HEADERS_TOO_LARGE;
    }
    return GatewayError.BAD_REQUEST;
  }
}
