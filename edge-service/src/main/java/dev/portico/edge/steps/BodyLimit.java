package dev.portico.edge.steps;

import dev.portico.edge.api.Integration;
import dev.portico.edge.request.BodyReader;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Limits;
import dev.portico.edge.request.Step;
import io.vertx.core.Future;

/**
 * The largest body the route's integration takes: 10 MiB, and for {@code kafka} no more than one
 * record holds (the body travels inside the request event). A body that declares a larger {@code
 * content-length} is refused with 413 at once; one without (chunked) is counted as it is read,
 * against the same limit. (A WebSocket upgrade has no body for an integration.)
 */
public final class BodyLimit implements Step {
  private final long kafkaBodyLimit;

  /**
   * @param maxRecordBytes the largest record a request event may take
   */
  public BodyLimit(int maxRecordBytes) {
    this.kafkaBodyLimit = Math.min(Limits.MAX_BODY_BYTES, maxRecordBytes);
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    if (ex.isWebSocket()) {
      return NEXT;
    }
    long limit =
        ex.integration() instanceof Integration.Kafka ? kafkaBodyLimit : Limits.MAX_BODY_BYTES;
    ex.limitBody(limit);
    long length = BodyReader.declaredLength(ex.request());
    if (length > limit) {
      return Future.failedFuture(
          new GatewayException(
              GatewayError.REQUEST_TOO_LARGE, "content-length " + length + " over " + limit));
    }
    return NEXT;
  }
}
