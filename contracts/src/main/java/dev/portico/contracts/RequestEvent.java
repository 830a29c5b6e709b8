package dev.portico.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One request through the edge's data plane: the access-log line as an event, for metrics-service
 * (Count, Latency, IntegrationLatency, 4XXError, 5XXError, CacheHitCount, CacheMissCount). {@code
 * resource} is the route template ({@code /customer/{customer_id}}), never the raw path, so metric
 * dimensions stay bounded.
 *
 * @param time epoch milliseconds when the request arrived
 * @param cacheHit {@code null} when the route has no cache
 * @param errorType the gateway error type ({@code x-portico-error-type}), or {@code null}; on a
 *     WebSocket event: {@code ClientError}, {@code IntegrationError} or {@code ExecutionError} (API
 *     Gateway's WebSocket metric names), or {@code null} when it went well
 * @param eventType {@code null} for an HTTP request; {@code CONNECT}, {@code MESSAGE} or {@code
 *     DISCONNECT} for a WebSocket event, with {@code routeKey} the route that ran ({@code
 *     $connect}, {@code $default}, a custom key; {@code null} when no route took the message),
 *     {@code method} and {@code resource} {@code null}, and {@code status} 101 for an accepted
 *     connect, the refusal's status for a refused one, 200 for a message
 * @param connectionId the WebSocket connection, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestEvent(
    String requestId,
    long time,
    String api,
    String stage,
    String deploymentId,
    boolean canary,
    String routeKey,
    String method,
    String resource,
    String path,
    int status,
    double latencyMs,
    double integrationLatencyMs,
    String integrationType,
    String integrationTarget,
    long responseBytes,
    String apiKeyId,
    String sourceIp,
    String userAgent,
    Boolean cacheHit,
    String errorType,
    String eventType,
    String connectionId) {

  public static final String CONNECT = "CONNECT";
  public static final String MESSAGE = "MESSAGE";
  public static final String DISCONNECT = "DISCONNECT";

  /** Whether this is a WebSocket event rather than an HTTP request. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isWebSocket() {
    return eventType != null;
  }
}
