package dev.portico.edge.http;

import dev.portico.contracts.RequestEvent;
import dev.portico.edge.api.Integration;
import dev.portico.edge.config.ApiKeyRecord;
import dev.portico.edge.config.UsagePlanRecord;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.serving.Release;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * One request's trip through the data plane, filled in as it goes; read at the end for the access
 * log and the metrics. Confined to the request's event loop.
 */
public final class Exchange {
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
  String errorType;
  String errorDetail;

  /** The API key that authorized the request, and the plan that covers it for this stage. */
  public ApiKeyRecord apiKey;

  public UsagePlanRecord plan;

  /** The JWT claims an authorizer accepted. */
  public Map<String, Object> claims;

  /** The largest body the route's integration takes (413 beyond). */
  long bodyLimit = GatewayHandler.MAX_BODY_BYTES;

  /** The body, when a guard had to read it before the integration (validation). */
  public io.vertx.core.buffer.Buffer body;

  /** {@code null} when the route has no cache. */
  public Boolean cacheHit;

  /** A WebSocket upgrade: the guards check {@code $connect}, then the socket is accepted. */
  boolean webSocket;

  /** The id the upgrade's connection gets (set when $connect's integration runs). */
  public String connectionId;

  Exchange(HttpServerRequest request, String requestId) {
    this.request = request;
    this.requestId = requestId;
    this.startNanos = System.nanoTime();
    this.startEpochMillis = System.currentTimeMillis();
  }

  public HttpServerRequest request() {
    return request;
  }

  public Release release() {
    return release;
  }

  public String requestId() {
    return requestId;
  }

  public long startEpochMillis() {
    return startEpochMillis;
  }

  /**
   * A credential from its header or, on a WebSocket connect, from a query parameter: browsers
   * cannot set headers on a WebSocket.
   */
  public String credential(String header, String queryParameter) {
    String value = request.getHeader(header);
    if (value == null && webSocket) {
      value = request.getParam(queryParameter);
    }
    return value;
  }

  /** The largest body the route's integration takes: read no more than this. */
  public long bodyLimit() {
    return bodyLimit;
  }

  public boolean isWebSocket() {
    return webSocket;
  }

  public RouteMatch match() {
    return match;
  }

  Integration integration() {
    return match == null ? null : match.route().integration();
  }

  String resource() {
    return match == null ? "none" : match.route().path().template();
  }

  /**
   * The request as an event for metrics-service: the access-log line's fields; a WebSocket upgrade
   * is a {@code CONNECT} event of route {@code $connect}.
   */
  RequestEvent toEvent() {
    Integration integration = integration();
    return new RequestEvent(
        requestId,
        startEpochMillis,
        release == null ? null : release.apiName(),
        stageName,
        release == null ? null : release.deploymentId(),
        release != null && release.canary(),
        webSocket ? "$connect" : match == null ? null : match.route().routeKey(),
        webSocket ? null : request.method().name(),
        webSocket ? null : resource(),
        request.path(),
        status,
        latencyMs(),
        integrationLatencyMs(),
        integration == null ? null : integration.type(),
        integration == null ? null : integration.target(),
        webSocket ? 0 : request.response().bytesWritten(),
        apiKey == null ? null : apiKey.id(),
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.getHeader("user-agent"),
        cacheHit,
        webSocket ? webSocketErrorType() : errorType,
        webSocket ? RequestEvent.CONNECT : null,
        connectionId);
  }

  /** API Gateway's WebSocket error metric a refused upgrade counts in. */
  private String webSocketErrorType() {
    return status == 101 ? null : status >= 500 ? "ExecutionError" : "ClientError";
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
