package dev.portico.edge.http;

import dev.portico.edge.api.Integration;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.serving.Release;
import io.vertx.core.http.HttpServerRequest;

/**
 * One request's trip through the data plane, filled in as it goes; read at the end for the access
 * log and the metrics. Confined to the request's event loop.
 */
final class Exchange {
  final HttpServerRequest request;
  final String requestId;
  final long startNanos;
  final long startEpochMillis;
  String stageName;
  Release release;
  RouteMatch match;
  long integrationStartNanos;
  long integrationEndNanos;
  int status;
  GatewayError error;
  String errorDetail;

  Exchange(HttpServerRequest request, String requestId) {
    this.request = request;
    this.requestId = requestId;
    this.startNanos = System.nanoTime();
    this.startEpochMillis = System.currentTimeMillis();
  }

  Integration integration() {
    return match == null ? null : match.route().integration();
  }

  String resource() {
    return match == null ? "none" : match.route().path().template();
  }

  double latencyMs() {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  double integrationLatencyMs() {
    return integrationStartNanos == 0 || integrationEndNanos == 0
        ? 0
        : (integrationEndNanos - integrationStartNanos) / 1e6;
  }
}
