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
 * @param errorType the gateway error type ({@code x-portico-error-type}), or {@code null}
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
    String errorType) {}
