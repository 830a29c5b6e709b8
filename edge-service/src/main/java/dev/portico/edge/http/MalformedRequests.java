package dev.portico.edge.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP codec refused before the gateway could route them: a request line or a header
 * block past what Netty agrees to parse (414, 431), or one it could not parse at all (400). They
 * are answered like every gateway error, with the JSON body, {@code x-portico-error-type} and a
 * request id, and logged; the codec then closes the connection.
 */
final class MalformedRequests implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    GatewayError error =
        cause instanceof TooLongHttpLineException
            ? GatewayError.URI_TOO_LONG
            : cause instanceof TooLongHttpHeaderException
                ? GatewayError.HEADERS_TOO_LARGE
                : GatewayError.BAD_REQUEST;
    Exchange ex = new Exchange(request, RequestIds.next());
    ex.status = error.status();
    ex.errorType = error.type();
    ex.errorDetail = cause == null ? null : cause.getMessage();
    request.response().putHeader("x-portico-request-id", ex.requestId);
    request.response().putHeader("connection", "close");
    GatewayHandler.error(request.response(), error);
    AccessLog.write(ex);
  }
}
