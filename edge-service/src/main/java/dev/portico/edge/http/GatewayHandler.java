package dev.portico.edge.http;

import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.api.Integration;
import dev.portico.edge.cache.StageCaches;
import dev.portico.edge.guards.IpGuard;
import dev.portico.edge.integration.FunctionRequests;
import dev.portico.edge.integration.HttpProxy;
import dev.portico.edge.integration.IntegrationException;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.edge.integration.RecordKeySelector;
import dev.portico.edge.observe.RequestEventPublisher;
import dev.portico.edge.observe.RequestTimers;
import dev.portico.edge.policy.Cors;
import dev.portico.edge.policy.CorsSettings;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.serving.ServingStage;
import dev.portico.edge.serving.ServingState;
import dev.portico.edge.websocket.WebSocketGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: {@code /{stage}/{path}} -> stage -> release (main or canary) -> IP policy -> CORS
 * -> route -> guards -> integration -> response. Unknown stage: 404 {@code Not Found}; no route:
 * 403 {@code Missing Authentication Token}; a path or query string that cannot be decoded: 400.
 * Every response carries {@code x-portico-request-id}; gateway errors also carry {@code
 * x-portico-error-type}; canary responses carry {@code X-Portico-Canary: true}.
 */
public final class GatewayHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
  public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;
  public static final int MAX_URL_BYTES = 8_192;

  /** Header lines as sent: name, ": ", value, CRLF. */
  public static final int MAX_HEADER_BLOCK_BYTES = 10_240;

  private final Supplier<ServingState> state;
  private final IpGuard ipPolicy;
  private final List<Guard> guards;
  private final KafkaFunctionClient functions;
  private final HttpProxy http;
  private final RequestEventPublisher events;
  private final StageCaches caches;
  private final RequestTimers timers;
  private final WebSocketGateway webSockets;

  /**
   * @param ipPolicy the first check, before CORS and routing
   * @param guards checks run in order after routing, before the integration
   */
  public GatewayHandler(
      Supplier<ServingState> state,
      IpGuard ipPolicy,
      List<Guard> guards,
      KafkaFunctionClient functions,
      HttpProxy http,
      RequestEventPublisher events,
      StageCaches caches,
      MeterRegistry registry,
      WebSocketGateway webSockets) {
    this.state = state;
    this.ipPolicy = ipPolicy;
    this.guards = List.copyOf(guards);
    this.functions = functions;
    this.http = http;
    this.events = events;
    this.caches = caches;
    this.timers = new RequestTimers(registry);
    this.webSockets = webSockets;
  }

  @Override
  public void handle(HttpServerRequest request) {
    try {
      route(request);
    } catch (RuntimeException e) {
      // A bug must cost one request a 500, never leave it hanging until the idle timeout.
      LOG.error("Request failed in the gateway", e);
      error(request.response(), GatewayError.INTERNAL_ERROR);
    }
  }

  private void route(HttpServerRequest request) {
    // Guards may answer later (a JWT is checked on a worker): hold the body until an integration
    // reads it, or it would be consumed, and its end lost, in the meantime.
    request.pause();
    Exchange ex = new Exchange(request, RequestIds.next());
    HttpServerResponse response = request.response();
    response.putHeader("x-portico-request-id", ex.requestId);

    if (request.uri().length() > MAX_URL_BYTES) {
      fail(ex, GatewayError.URI_TOO_LONG, request.uri().length() + " bytes");
      return;
    }
    if (headerBlockBytes(request) > MAX_HEADER_BLOCK_BYTES) {
      response.putHeader("connection", "close");
      fail(ex, GatewayError.HEADERS_TOO_LARGE, headerBlockBytes(request) + " bytes");
      return;
    }
    String path = request.path();
    int slash = path.indexOf('/', 1);
    ex.stageName = slash < 0 ? path.substring(1) : path.substring(1, slash);
    String resource = slash < 0 ? "/" : path.substring(slash);
    ServingStage stage = state.get().stage(ex.stageName);
    if (stage == null) {
      fail(ex, GatewayError.NOT_FOUND, "no stage " + ex.stageName);
      return;
    }
    ex.release = stage.pick();
    if (ex.release.canary()) {
      response.putHeader("x-portico-canary", "true");
    }
    if (!ipPolicy.permits(ex)) {
      fail(ex, GatewayError.FORBIDDEN, "source address refused by the IP policy");
      return;
    }
    CorsSettings cors = ex.release.policies().cors();
    if (cors != null) {
      if (Cors.isPreflight(request)) {
        Cors.preflight(cors, request);
        ex.status = 204;
        finish(ex);
        return;
      }
      Cors.decorate(cors, request);
    }
    Rejection badQuery = QueryEncoding.check(request.query());
    if (badQuery != null) {
      reject(ex, badQuery);
      return;
    }
    if (webSockets != null
        && ex.release.websocket() != null
        && resource.equals("/")
        && WebSocketGateway.isUpgrade(request)) {
      ex.webSocket = true;
      if (!webSockets.admit()) {
        fail(ex, GatewayError.LIMIT_EXCEEDED, "new WebSocket connections");
        return;
      }
      ex.match = WebSocketGateway.connectMatch(ex.release.websocket());
      run(ex);
      return;
    }
    Optional<RouteMatch> match;
    try {
      match = ex.release.routes().match(request.method().name(), resource);
    } catch (IllegalArgumentException badEncoding) {
      fail(ex, GatewayError.BAD_PATH, badEncoding.getMessage());
      return;
    }
    if (match.isEmpty()) {
      fail(ex, GatewayError.MISSING_AUTHENTICATION_TOKEN, "no route");
      return;
    }
    ex.match = match.get();
    ex.bodyLimit = bodyLimit(ex.integration());
    long length = BodyReader.declaredLength(request);
    if (length > ex.bodyLimit) {
      fail(
          ex, GatewayError.REQUEST_TOO_LARGE, "content-length " + length + " over " + ex.bodyLimit);
      return;
    }
    run(ex);
  }

  /**
   * The largest body an integration takes: 10 MiB, and for {@code kafka} no more than one record
   * holds (the body travels inside the request event).
   */
  private long bodyLimit(Integration integration) {
    return integration instanceof Integration.Kafka
        ? Math.min(MAX_BODY_BYTES, functions.maxRecordBytes())
        : MAX_BODY_BYTES;
  }

  /** Guards, then the integration (or the WebSocket upgrade), then the answer. */
  private void run(Exchange ex) {
    guard(ex, 0)
        .compose(
            v -> {
              ex.integrationStartNanos = System.nanoTime();
              return integrate(ex);
            })
        .onComplete(
            result -> {
              ex.integrationEndNanos = System.nanoTime();
              try {
                if (result.succeeded()) {
                  ex.status = result.result();
                  finish(ex);
                } else {
                  failIntegration(ex, result.cause());
                }
              } catch (RuntimeException e) {
                // A bug here must not leave the client waiting for the idle timeout.
                LOG.error("Request {} failed while answering", ex.requestId, e);
                error(ex.request.response(), GatewayError.INTERNAL_ERROR);
              }
            });
  }

  /** Runs the guards from {@code index} on, each after the previous one passed. */
  private Future<Void> guard(Exchange ex, int index) {
    if (index == guards.size()) {
      return Future.succeededFuture();
    }
    return guards.get(index).check(ex).compose(v -> guard(ex, index + 1));
  }

  /** Runs the route's integration; completes with the status written to the client. */
  private Future<Integer> integrate(Exchange ex) {
    if (ex.webSocket) {
      return webSockets.connect(ex);
    }
    Integration integration = ex.integration();
    if (integration instanceof Integration.Http target) {
      // Streamed through, never buffered: http answers are not cached.
      return http.proxy(ex.request, target, ex.match, ex.requestId, ex.body);
    }
    StageCaches.Lookup lookup =
        integration instanceof Integration.Kafka k && k.mode() == Integration.Mode.ASYNC
            ? null
            : caches.lookup(ex);
    if (lookup != null) {
      FunctionResponse cached = caches.get(ex, lookup);
      ex.cacheHit = cached != null;
      ex.request.response().putHeader("x-cache", cached != null ? "Hit" : "Miss");
      if (cached != null) {
        return BodyReader.discard(ex.request, ex.bodyLimit)
            .map(v -> write(ex.request.response(), cached));
      }
    }
    return answer(ex, integration)
        .map(
            response -> {
              if (lookup != null) {
                caches.put(lookup, response);
              }
              return write(ex.request.response(), response);
            });
  }

  /**
   * The integration's response, not yet written (mock, kafka sync); async kafka answers 202 itself
   * and completes with {@code null}.
   */
  private Future<FunctionResponse> answer(Exchange ex, Integration integration) {
    if (integration instanceof Integration.Mock mock) {
      // Nobody reads a mock's body, but the limit holds on it as on any other.
      return BodyReader.discard(ex.request, ex.bodyLimit)
          .map(v -> new FunctionResponse(mock.statusCode(), mock.headers(), mock.body(), false));
    }
    Integration.Kafka kafka = (Integration.Kafka) integration;
    Future<Buffer> read =
        ex.body != null
            ? Future.succeededFuture(ex.body)
            : BodyReader.read(ex.request, ex.bodyLimit);
    return read.compose(
        body -> {
          Object event = requestEvent(ex, kafka, body);
          String key = RecordKeySelector.select(kafka.key(), ex.request, ex.match, body);
          if (kafka.mode() == Integration.Mode.ASYNC) {
            return functions
                .publish(kafka.topic(), key, event, ex.requestId, kafka.timeout())
                .map(v -> ACCEPTED);
          }
          return functions.invoke(kafka.topic(), key, event, ex.requestId, kafka.timeout());
        });
  }

  /** The request event in the route's payload format. */
  private static Object requestEvent(Exchange ex, Integration.Kafka kafka, Buffer body) {
    Instant start = Instant.ofEpochMilli(ex.startEpochMillis);
    String apiKeyId = ex.apiKey == null ? null : ex.apiKey.id();
    if (kafka.payloadFormat() == Integration.PayloadFormat.V1_0) {
      return FunctionRequests.v1(
          ex.request,
          body,
          ex.release.apiName(),
          ex.release.stage(),
          ex.match,
          ex.release.variables(),
          ex.requestId,
          start,
          ex.claims,
          apiKeyId);
    }
    return FunctionRequests.from(
        ex.request,
        body,
        ex.release.apiName(),
        ex.release.stage(),
        ex.match,
        ex.release.variables(),
        ex.requestId,
        start,
        ex.claims == null && apiKeyId == null
            ? null
            : new FunctionRequest.Authorizer(ex.claims, apiKeyId));
  }

  /** Async mode's answer: 202 and the request id (put in by {@link #write}). */
  private static final FunctionResponse ACCEPTED =
      new FunctionResponse(202, Map.of("content-type", "application/json"), null, false);

  private void failIntegration(Exchange ex, Throwable cause) {
    if (cause instanceof Rejection rejection) {
      reject(ex, rejection);
      return;
    }
    GatewayError error = GatewayError.INTERNAL_ERROR;
    if (cause instanceof IntegrationException e) {
      error = e.error();
    } else if (cause instanceof BodyReader.TooLarge) {
      error = GatewayError.REQUEST_TOO_LARGE;
    } else if (cause instanceof BodyReader.Broken) {
      error = GatewayError.BAD_REQUEST;
    } else {
      LOG.error("Request {} failed", ex.requestId, cause);
    }
    String detail = ex.integration().target() + ": " + cause.getMessage();
    if (error == GatewayError.INTEGRATION_TIMEOUT) {
      detail += "; waited " + Math.round(ex.integrationLatencyMs()) + " ms";
    }
    fail(ex, error, detail);
  }

  private void reject(Exchange ex, Rejection rejection) {
    drain(ex.request);
    ex.errorType = rejection.type();
    ex.errorDetail = rejection.getMessage();
    ex.status = rejection.status();
    HttpServerResponse response = ex.request.response();
    if (!response.ended() && !response.closed()) {
      rejection.headers().forEach(response::putHeader);
      JsonObject body = new JsonObject().put("message", rejection.getMessage());
      if (!rejection.violations().isEmpty()) {
        body.put("violations", new io.vertx.core.json.JsonArray(rejection.violations()));
      }
      response
          .setStatusCode(rejection.status())
          .putHeader("content-type", "application/json")
          .putHeader("x-portico-error-type", rejection.type())
          .end(body.encode());
    }
    finish(ex);
  }

  private void fail(Exchange ex, GatewayError error, String detail) {
    drain(ex.request);
    ex.errorType = error.type();
    ex.errorDetail = detail;
    ex.status = error.status();
    if (error == GatewayError.REQUEST_TOO_LARGE && !ex.request.isEnded()) {
      // The client may still be sending; do not keep the connection for a body nobody reads.
      ex.request.response().putHeader("connection", "close");
    }
    error(ex.request.response(), error);
    finish(ex);
  }

  private static int write(HttpServerResponse response, FunctionResponse result) {
    if (response.closed()) {
      return result.statusCode();
    }
    if (result == ACCEPTED) {
      result =
          new FunctionResponse(
              202,
              result.headers(),
              new JsonObject()
                  .put("requestId", response.headers().get("x-portico-request-id"))
                  .encode(),
              false);
    }
    Buffer body = null;
    if (result.body() != null && result.isBase64Encoded()) {
      try {
        body = Buffer.buffer(Base64.getDecoder().decode(result.body()));
      } catch (IllegalArgumentException notBase64) {
        throw new IntegrationException(
            GatewayError.MALFORMED_INTEGRATION_RESPONSE, "body is not base64");
      }
    } else if (result.body() != null) {
      body = Buffer.buffer(result.body());
    }
    response.setStatusCode(result.statusCode());
    if (result.headers() != null) {
      result.headers().forEach(response::putHeader);
    }
    if (body == null) {
      response.end();
    } else {
      response.end(body);
    }
    return result.statusCode();
  }

  static void error(HttpServerResponse response, GatewayError error) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.headers().remove("content-length");
    response
        .setStatusCode(error.status())
        .putHeader("content-type", "application/json")
        .putHeader("x-portico-error-type", error.type())
        .end(new JsonObject().put("message", error.message()).encode());
  }

  private static int headerBlockBytes(HttpServerRequest request) {
    int bytes = 0;
    for (Map.Entry<String, String> header : request.headers()) {
      bytes += header.getKey().length() + header.getValue().length() + 4;
    }
    return bytes;
  }

  /** Reads and drops a body nobody will read, so the connection stays usable. */
  private static void drain(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.resume();
    }
  }

  private void finish(Exchange ex) {
    AccessLog.write(ex);
    if (ex.release == null) {
      return;
    }
    if (events != null) {
      events.publish(ex.toEvent());
    }
    timers.record(
        ex.release.apiName(),
        ex.release.stage(),
        ex.request.method().name(),
        ex.resource(),
        ex.status,
        ex.release.canary(),
        System.nanoTime() - ex.startNanos);
  }
}
