package dev.portico.metrics.http;

import dev.portico.contracts.Json;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON answers of the metrics API, and the one place that maps failures to statuses: a refused
 * request is its 4xx with {@code {"message", "problems"?}}; state not queryable yet (start-up,
 * rebalance) or Kafka not acknowledging is 503 (retry); anything else is a 500 and a log line.
 */
final class ApiResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);

  private ApiResponses() {}

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(Json.toString(body));
  }

  static void error(RoutingContext ctx, int status, String message, List<String> problems) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    if (!problems.isEmpty()) {
      body.put("problems", problems);
    }
    json(ctx, status, body);
  }

  static void fail(RoutingContext ctx, Throwable failure) {
    Throwable cause =
        failure instanceof ExecutionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof BadRequest bad) {
      error(ctx, bad.status(), bad.getMessage(), bad.problems());
    } else if (cause instanceof InvalidStateStoreException || cause instanceof NotReady) {
      error(
          ctx,
          503,
          "Metrics state is not queryable yet (starting or rebalancing); retry shortly",
          List.of());
    } else if (cause instanceof KafkaException || cause instanceof InterruptedException) {
      error(ctx, 503, "Kafka did not acknowledge the datums; retry", List.of());
    } else {
      LOG.error(
          "metrics API failure on {} {}", ctx.request().method(), ctx.request().path(), cause);
      error(ctx, 500, "Internal error", List.of());
    }
  }

  /** The Streams application is not running (yet, or any more). */
  static final class NotReady extends RuntimeException {
    NotReady() {
      super("not ready", null, false, false);
    }
  }
}
