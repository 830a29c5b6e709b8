package dev.portico.edge.request;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.RequestEvent;
import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.api.Integration;
import dev.portico.edge.cache.StageCaches;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.serving.Release;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * One request's trip through the data plane's chain of {@link Step}s. The request, its id and its
 * start are fixed; what a step learns it sets here for the steps after it, each part through one
 * method that exactly one step calls (named on the method, and held to it by {@code
 * EdgeArchitectureTest}), so what a step reads was set by a step that runs before it in the chain's
 * one declared order. The outcome (status, error) is the chain runner's. Read at the end for the
 * access log, the metrics and the request event. Confined to the request's event loop.
 *
 * <p>Over 300 lines because it is the request's whole state: one field, one setter named for its
 * one step, and one getter per thing a step learns; nothing else lives here.
 */
public final class Exchange {
  private final HttpServerRequest request;
  private final String requestId;
  private final long startNanos;
  private final long startEpochMillis;

  private String stageName;
  private String resourcePath;
  private Release release;
  private RouteMatch match;
  private boolean webSocket;
  private long bodyLimit = Limits.MAX_BODY_BYTES;
  private ApiKeyRecord apiKey;
  private UsagePlanRecord plan;
  private Map<String, Object> claims;
  private AuthorizerResult authorizer;
  private Buffer body;
  private StageCaches.Lookup cacheLookup;
  private Boolean cacheHit;
  private FunctionResponse response;
  private String connectionId;
  private String functionOutcome;
  private double functionDurationMs;

  private long integrationStartNanos;
  private long integrationEndNanos;
  private int status;
  private String errorType;
  private String errorDetail;

  public Exchange(HttpServerRequest request, String requestId) {
    this.request = request;
    this.requestId = requestId;
    this.startNanos = System.nanoTime();
    this.startEpochMillis = System.currentTimeMillis();
  }

  // What the steps learn, in chain order; each set by the one step named.

  /** Set by {@code StageSelector}: the stage the path names and the path after it. */
  public void selectStage(String stageName, String resourcePath) {
    this.stageName = stageName;
    this.resourcePath = resourcePath;
  }

  /** Set by {@code StageSelector}: the stage's release serving this request (main or canary). */
  public void selectRelease(Release release) {
    this.release = release;
  }

  /**
   * Set by {@code RouteLookup}: the route the request takes; for a WebSocket upgrade, {@code
   * $connect}'s requirements.
   */
  public void routeTo(RouteMatch match, boolean webSocket) {
    this.match = match;
    this.webSocket = webSocket;
  }

  /** Set by {@code BodyLimit}: the largest body the route's integration takes. */
  public void limitBody(long bodyLimit) {
    this.bodyLimit = bodyLimit;
  }

  /** Set by {@code ApiKeyGuard}: the key that authorized the request and the plan covering it. */
  public void authorizeKey(ApiKeyRecord apiKey, UsagePlanRecord plan) {
    this.apiKey = apiKey;
    this.plan = plan;
  }

  /** Set by {@code JwtGuard}: the claims of the token an authorizer accepted. */
  public void authorizeClaims(Map<String, Object> claims) {
    this.claims = claims;
  }

  /** Set by {@code FunctionAuthorizerGuard}: what the route's authorizer function allowed. */
  public void authorizeFunction(AuthorizerResult authorizer) {
    this.authorizer = authorizer;
  }

  /** Set by {@code ValidationGuard}: the body it had to read, kept for the integration. */
  public void keepBody(Buffer body) {
    this.body = body;
  }

  /** Set by {@code CacheLookup}: where the route's answer is cached, and whether it was there. */
  public void cacheLookedUp(StageCaches.Lookup cacheLookup, boolean hit) {
    this.cacheLookup = cacheLookup;
    this.cacheHit = hit;
  }

  /** Set by {@code IntegrationCall}: the integration's answer, still to be written. */
  public void respondWith(FunctionResponse response) {
    this.response = response;
  }

  /**
   * Set by {@code IntegrationCall}: what became of the route's function invocation ({@link
   * RequestEvent.Outcome}) and, when it answered, how long it took from send to reply.
   */
  public void functionReturned(String outcome, double durationMs) {
    this.functionOutcome = outcome;
    this.functionDurationMs = durationMs;
  }

  /** Set by {@code WebSocketGateway}: the id the upgrade's connection gets. */
  public void connectAs(String connectionId) {
    this.connectionId = connectionId;
  }

  // The outcome: the chain runner's (and MalformedRequests' for what never reached it).

  /** The integration's clock: from the first step that serves the request to the answer. */
  public void integrationStarts(long nanos) {
    this.integrationStartNanos = nanos;
  }

  public void integrationEnds(long nanos) {
    this.integrationEndNanos = nanos;
  }

  /** The status the client got; for a gateway error also its type and, for the log, why. */
  public void end(int status, String errorType, String errorDetail) {
    this.status = status;
    this.errorType = errorType;
    this.errorDetail = errorDetail;
  }

  // Reading.

  public HttpServerRequest request() {
    return request;
  }

  public String requestId() {
    return requestId;
  }

  public long startEpochMillis() {
    return startEpochMillis;
  }

  public String stageName() {
    return stageName;
  }

  /** The path after the stage, {@code /} at least. */
  public String resourcePath() {
    return resourcePath;
  }

  public Release release() {
    return release;
  }

  public RouteMatch match() {
    return match;
  }

  /** A WebSocket upgrade: the guards check {@code $connect}, then the socket is accepted. */
  public boolean isWebSocket() {
    return webSocket;
  }

  /** The largest body the route's integration takes: read no more than this. */
  public long bodyLimit() {
    return bodyLimit;
  }

  public ApiKeyRecord apiKey() {
    return apiKey;
  }

  public UsagePlanRecord plan() {
    return plan;
  }

  /** The JWT claims an authorizer accepted, or {@code null}. */
  public Map<String, Object> claims() {
    return claims;
  }

  /** What the route's authorizer function allowed, or {@code null} when it has none. */
  public AuthorizerResult authorizer() {
    return authorizer;
  }

  /** The body, when a guard had to read it before the integration (validation), else null. */
  public Buffer body() {
    return body;
  }

  /** {@code null} when the route's answers are not cached. */
  public StageCaches.Lookup cacheLookup() {
    return cacheLookup;
  }

  /** {@code null} when the route has no cache. */
  public Boolean cacheHit() {
    return cacheHit;
  }

  /** The integration's answer to write, or {@code null} when it wrote its own. */
  public FunctionResponse response() {
    return response;
  }

  public String connectionId() {
    return connectionId;
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }

  public String errorDetail() {
    return errorDetail;
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

  /** The route's integration, or {@code null} before routing. */
  public Integration integration() {
    return match == null ? null : match.route().integration();
  }

  /**
   * The function topic this request counts for in the function metrics, or {@code null}: one it
   * invoked (Kafka acknowledged the request event), or one a throttle refused it on the way to.
   */
  public String function() {
    return functionOutcome() == null ? null : ((Integration.Kafka) integration()).topic();
  }

  /**
   * {@link RequestEvent.Outcome} of the route's function, or {@code null} (see {@link #function}).
   */
  public String functionOutcome() {
    if (functionOutcome != null) {
      return functionOutcome;
    }
    boolean throttled =
        GatewayError.TOO_MANY_REQUESTS.type().equals(errorType)
            || GatewayError.LIMIT_EXCEEDED.type().equals(errorType);
    return throttled && !webSocket && integration() instanceof Integration.Kafka
        ? RequestEvent.Outcome.THROTTLED
        : null;
  }

  /** Send to reply, when the function answered; else {@code null}. */
  public Double functionDurationMs() {
    return RequestEvent.Outcome.OK.equals(functionOutcome)
            || RequestEvent.Outcome.ERROR.equals(functionOutcome)
            || RequestEvent.Outcome.MALFORMED.equals(functionOutcome)
        ? functionDurationMs
        : null;
  }

  /** The route's path template, {@code none} before routing. */
  public String resource() {
    return match == null ? "none" : match.route().path().template();
  }

  /**
   * The request as an event for metrics-service: the access-log line's fields; a WebSocket upgrade
   * is a {@code CONNECT} event of route {@code $connect}.
   */
  public RequestEvent toEvent() {
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
        connectionId,
        function(),
        functionOutcome(),
        functionDurationMs());
  }

  /** API Gateway's WebSocket error metric a refused upgrade counts in. */
  private String webSocketErrorType() {
    return status == 101 ? null : status >= 500 ? "ExecutionError" : "ClientError";
  }

  public long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  public double latencyMs() {
    return elapsedNanos() / 1e6;
  }

  public double integrationLatencyMs() {
    return integrationStartNanos == 0 || integrationEndNanos == 0
        ? 0
        : (integrationEndNanos - integrationStartNanos) / 1e6;
  }
}
