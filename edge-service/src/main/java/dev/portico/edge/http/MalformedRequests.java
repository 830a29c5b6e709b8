package dev.portico.edge.http;

import dev.portico.edge.request.CodecErrors;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.RequestIds;
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
    GatewayError error = CodecErrors.of(request);
    Exchange ex = new Exchange(request, RequestIds.next());
    ex.end(error.status(), error.type(), cause == null ? null : cause.getMessage());
    request.response().putHeader("x-portico-request-id", ex.requestId());
    request.response().putHeader("connection", "close");
    GatewayHandler.error(request.response(), error);
    AccessLog.write(ex);
  }
}
