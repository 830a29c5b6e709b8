package dev.portico.edge.steps;

import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Limits;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * The limits on a request's URL and headers, checked before anything reads them: a URL over 8,192
 * bytes is refused with 414, a header block over 10,240 bytes with 431 and the connection closed.
 * (Requests far past these never reach the chain: the HTTP codec refuses them, see {@code
 * MalformedRequests}. The body's limit depends on the route: {@link BodyLimit}.)
 */
public final class RequestLimits implements Step {
  @Override
  public Future<Integer> apply(Exchange ex) {
    HttpServerRequest request = ex.request();
    int urlBytes = request.uri().length();
    if (urlBytes > Limits.MAX_URL_BYTES) {
      return Future.failedFuture(
          new GatewayException(GatewayError.URI_TOO_LONG, urlBytes + " bytes"));
    }
    int headerBytes = headerBlockBytes(request);
    if (headerBytes > Limits.MAX_HEADER_BLOCK_BYTES) {
      request.response().putHeader("connection", "close");
      return Future.failedFuture(
          new GatewayException(GatewayError.HEADERS_TOO_LARGE, headerBytes + " bytes"));
    }
    return NEXT;
  }

  /** The header block as sent: each line's name, ": ", value and CRLF. */
  static int headerBlockBytes(HttpServerRequest request) {
    int bytes = 0;
    for (Map.Entry<String, String> header : request.headers()) {
      bytes += header.getKey().length() + header.getValue().length() + 4;
    }
    return bytes;
  }
}
