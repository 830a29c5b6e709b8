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
 * @param function the function topic this request (or WebSocket event: {@code $connect}, a message,
 *     {@code $disconnect}; or {@link #AUTHORIZER} call) invoked, or was refused by a throttle on
 *     its way to; {@code null} when no function counts the request (another integration, a cache
 *     hit, a request refused before the integration for another reason, a request event Kafka never
 *     acknowledged). Added after schema version 1 without changing it: readers ignore unknown
 *     fields, and an event without it decodes with {@code null} here
 * @param functionOutcome with {@code function}: one of {@link Outcome}
 * @param functionDurationMs with {@code function}: milliseconds from the request event's send to
 *     its reply ({@code OK}, {@code ERROR}, {@code MALFORMED}), else {@code null}
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
    String connectionId,
    String function,
    String functionOutcome,
    Double functionDurationMs) {

  public static final String CONNECT = "CONNECT";
  public static final String MESSAGE = "MESSAGE";
  public static final String DISCONNECT = "DISCONNECT";

  /**
   * Not a request: a function's reply that reached the edge after its request had timed out (the
   * request's own event, sent at the timeout, said {@code TIMEOUT}). {@code requestId} is the timed
   * out request's, {@code time} when the reply arrived, {@code api}, {@code stage} and {@code
   * function} the request's; the other fields are empty.
   */
  public static final String LATE_REPLY = "LATE_REPLY";

  /**
   * Not a request: one call of an authorizer function, made for a request (REST route or WebSocket
   * {@code $connect}) whose verdict was not cached. Counted in the function metrics under the
   * authorizer's topic, as AWS counts an authorizer Lambda's invocations, and in no gateway metric
   * (the request's own event counts the request). {@code requestId}, {@code time}, {@code api},
   * {@code stage} are the request's; {@code function}, {@code functionOutcome} and {@code
   * functionDurationMs} the call's; the other fields are empty.
   */
  public static final String AUTHORIZER = "AUTHORIZER";

  /** What became of a request's function invocation, as the edge saw it. */
  public static final class Outcome {
    /** The function answered with a status below 500. */
    public static final String OK = "OK";

    /** The function answered with a 5xx status. */
    public static final String ERROR = "ERROR";

    /** The function's reply could not be read as a response event. */
    public static final String MALFORMED = "MALFORMED";

    /** No reply before the route's timeout (the request event was acknowledged). */
    public static final String TIMEOUT = "TIMEOUT";

    /** Async mode: Kafka acknowledged the request event (nobody waits for a reply). */
    public static final String ACCEPTED = "ACCEPTED";

    /** Refused with 429 by a throttle or quota before the function was invoked. */
    public static final String THROTTLED = "THROTTLED";

    private Outcome() {}
  }

  /** An event of the fields before function metrics (no function): WebSocket events, tests. */
  public RequestEvent(
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
    this(
        requestId,
        time,
        api,
        stage,
        deploymentId,
        canary,
        routeKey,
        method,
        resource,
        path,
        status,
        latencyMs,
        integrationLatencyMs,
        integrationType,
        integrationTarget,
        responseBytes,
        apiKeyId,
        sourceIp,
        userAgent,
        cacheHit,
        errorType,
        eventType,
        connectionId,
        null,
        null,
        null);
  }

  /** A {@link #LATE_REPLY} event. */
  public static RequestEvent lateReply(
      String requestId, long time, String api, String stage, String function) {
    return new RequestEvent(
        requestId,
        time,
        api,
        stage,
        null,
        false,
        null,
        null,
        null,
        null,
        0,
        0,
        0,
        null,
        null,
        0,
        null,
        null,
        null,
        null,
        null,
        LATE_REPLY,
        null,
        function,
        null,
        null);
  }

  /** An {@link #AUTHORIZER} event. */
  public static RequestEvent authorizerCall(
      String requestId,
      long time,
      String api,
      String stage,
      String function,
      String outcome,
      Double durationMs) {
    return new RequestEvent(
        requestId,
        time,
        api,
        stage,
        null,
        false,
        null,
        null,
        null,
        null,
        0,
        0,
        0,
        null,
        null,
        0,
        null,
        null,
        null,
        null,
        null,
        AUTHORIZER,
        null,
        function,
        outcome,
        durationMs);
  }

  /**
   * Whether this is a WebSocket event rather than an HTTP request (or a late reply, or an
   * authorizer call).
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isWebSocket() {
    return eventType != null && !LATE_REPLY.equals(eventType) && !AUTHORIZER.equals(eventType);
  }
}
