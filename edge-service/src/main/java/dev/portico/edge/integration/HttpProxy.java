package dev.portico.edge.integration;

import dev.portico.edge.api.Integration;
import dev.portico.edge.mapping.ParameterMapping;
import dev.portico.edge.mapping.ParameterMapping.MappedRequest;
import dev.portico.edge.mapping.ParameterMapping.MappedResponse;
import dev.portico.edge.policy.Cidr;
import dev.portico.edge.request.BodyReader;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.routing.RouteMatch;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code http} integration: proxies a request to a backend URL and streams both bodies through
 * without buffering them. Hop-by-hop headers (RFC 9110 7.6.1, plus any the {@code Connection}
 * header names) are dropped both ways; {@code X-Forwarded-For/Proto/Host/Port} and the request id
 * are added ({@code Proto/Host/Port} as a trusted load balancer sent them, else as the edge saw the
 * request). The body goes as the client sent it, as nginx sends it: a request without one gets no
 * body and no {@code transfer-encoding} (a backend that does not read bodies on a GET would
 * otherwise find an empty chunked body on the connection as its next request), one with a length
 * keeps its {@code content-length}, a chunked one is streamed chunked.
 *
 * <p>A route's parameter mapping changes what is sent (headers, query parameters, and with {@code
 * overwrite:path} the path of the backend URI) and what is answered (headers, status) for the
 * backend statuses it has rules for.
 *
 * <p>Connections are pooled per backend, and each data-plane event loop keeps its own share of the
 * pool: a request is proxied on a connection of the loop that serves it, so its bytes never hop to
 * another loop's thread and back (with one shared pool, one loop's requests rode connections of
 * another, and the loops' load split unevenly). A connection the backend closes is never used
 * again, but one it closes just as a request is sent on it fails that request; a request without a
 * body streamed (so that nothing is lost) and with an idempotent method is then sent once more, on
 * a connection of its own, as nginx does on a kept-alive upstream connection.
 *
 * <p>The route's timeout runs until the backend's response headers arrive (API Gateway's
 * integration latency); a body that then streams slowly is not cut off. Errors: connection refused,
 * reset or unknown host: 502; too many requests queued for a connection: 503; timeout: 504.
 */
public final class HttpProxy implements AutoCloseable {
  /** RFC 9110 9.2.2: a retry cannot do what the first try did not already do. */
  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PUT,
          HttpMethod.DELETE);

  private final Vertx vertx;
  private final HttpClientOptions clientOptions =
      new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(false);
  private final PoolOptions loopPool;

  /** One client per event-loop thread: its connections are that loop's. */
  private final Map<Thread, HttpClientAgent> clients = new ConcurrentHashMap<>();

  /** For the one retry: a connection of its own, closed after the answer. */
  private final HttpClientAgent unpooled;

  private final long maxBodyBytes;
  private final ForwardedHeaders forwarded;

  /**
   * @param poolSize connections per backend host, shared out among the event loops
   * @param waitQueue requests that may wait for a pooled connection before 503, shared out alike
   * @param eventLoops the data plane's event loops
   * @param maxBodyBytes the request body limit, enforced while streaming (413)
   * @param trustedProxies peers (load balancers) whose {@code X-Forwarded-Proto/Host/Port} are
   *     passed on as they came; anyone else's are replaced by what the edge itself saw
   */
  public HttpProxy(
      Vertx vertx,
      int poolSize,
      int waitQueue,
      int eventLoops,
      long maxBodyBytes,
      List<Cidr> trustedProxies) {
    this.vertx = vertx;
    this.forwarded = new ForwardedHeaders(trustedProxies);
    this.maxBodyBytes = maxBodyBytes;
    this.loopPool =
        new PoolOptions()
            .setHttp1MaxSize(share(poolSize, eventLoops))
            .setMaxWaitQueueSize(share(waitQueue, eventLoops));
    this.unpooled =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(false).setDecompressionSupported(false),
            new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(waitQueue));
  }

  /**
   * Proxies {@code request} (paused and not yet read, or already read into {@code readBody} by
   * request validation) and writes the backend's answer to its response. Completes with the status
   * written, or fails with an {@link IntegrationException} before anything was written.
   *
   * @param mapping the route's parameter mapping applied to this request, or {@code null}
   */
  public Future<Integer> proxy(
      HttpServerRequest request,
      Integration.Http http,
      RouteMatch match,
      String requestId,
      Buffer readBody,
      ParameterMapping.Applied mapping) {
    MappedRequest mapped = mapping == null ? null : mapping.request();
    String target = BackendUri.fill(http.uri(), match);
    if (mapped != null && mapped.path() != null) {
      target = BackendUri.withPath(target, mapped.path());
    }
    String uri =
        BackendUri.withQuery(
            target, mapped == null || mapped.query() == null ? request.query() : mapped.rawQuery());
    MultiMap headers = mapped == null ? request.headers() : ProxyHeaders.of(request, mapped);
    HttpMethod method =
        http.method() == null ? request.method() : HttpMethod.valueOf(http.method());
    long timeoutMs = http.timeout().toMillis();
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(uri)
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs);
    Promise<Integer> done = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMs,
            id ->
                done.tryFail(
                    new IntegrationException(
                        GatewayError.INTEGRATION_TIMEOUT,
                        "no response from " + http.uri() + " within " + timeoutMs + " ms")));
    boolean bodiless = readBody == null && BodyReader.declaredLength(request) == 0;
    if (bodiless) {
      request.resume(); // nothing to stream: let the request's end through
    }
    boolean retryable = (bodiless || readBody != null) && IDEMPOTENT.contains(method);
    send(loopClient(), options, request, headers, readBody, bodiless, requestId, done)
        .onComplete(
            result -> {
              if (result.failed()
                  && retryable
                  && dropped(result.cause())
                  && !done.future().isComplete()) {
                send(unpooled, options, request, headers, readBody, bodiless, requestId, done)
                    .onComplete(retried -> relay(retried, request, http, mapping, timer, done));
              } else {
                relay(result, request, http, mapping, timer, done);
              }
            });
    return done.future();
  }

  /**
   * The client of the event loop serving this request, created on first use there. A client's
   * connections are created on the loop that asks for them, so each loop's client holds connections
   * of that loop only.
   */
  private HttpClientAgent loopClient() {
    return clients.computeIfAbsent(
        Thread.currentThread(), loop -> vertx.createHttpClient(clientOptions, loopPool));
  }

  /** {@code total} shared out among {@code parts}, at least one each. */
  static int share(int total, int parts) {
    return Math.max(1, (total + parts - 1) / parts);
  }

  /** Writes the backend's answer to the client, or fails {@code done} with why there is none. */
  private void relay(
      AsyncResult<HttpClientResponse> result,
      HttpServerRequest request,
      Integration.Http http,
      ParameterMapping.Applied mapping,
      long timer,
      Promise<Integer> done) {
    vertx.cancelTimer(timer);
    if (result.failed()) {
      done.tryFail(toIntegrationError(result.cause(), http));
      return;
    }
    HttpClientResponse answer = result.result();
    if (done.future().isComplete()) {
      answer.request().reset();
      return;
    }
    var response = request.response();
    MappedResponse mapped =
        mapping == null
            ? null
            : mapping.response(answer.statusCode(), ProxyHeaders.list(answer.headers()));
    if (mapped == null) {
      response.setStatusCode(answer.statusCode());
      response.setStatusMessage(answer.statusMessage());
      ProxyHeaders.copy(answer.headers(), response.headers());
    } else {
      response.setStatusCode(mapped.status());
      ProxyHeaders.copy(ProxyHeaders.multiMap(mapped.headers()), response.headers());
    }
    done.tryComplete(response.getStatusCode());
    stream(answer, response);
  }

  /**
   * Streams the backend's answer to the client with back-pressure, as {@code response.send(answer)}
   * does, but without Vert.x's pipe: when the client left mid-answer, the pipe left the backend's
   * stream paused on its pooled connection for good, ended the response and then threw on the event
   * loop at the backend's next chunk (eclipse-vertx/vert.x#4479); and a backend that broke off
   * mid-body made it end the client's response as if complete. Here the backend's stream is reset
   * when the client is gone, and the client's connection when the backend broke off, so that
   * neither mistakes a cut body for a whole one.
   */
  private static void stream(HttpClientResponse answer, HttpServerResponse response) {
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    answer.handler(
        chunk -> {
          response.write(chunk).onFailure(clientGone -> answer.request().reset());
          if (!response.closed() && response.writeQueueFull()) {
            answer.pause();
            response.drainHandler(drained -> answer.resume());
          }
        });
    answer.exceptionHandler(backendBrokeOff -> response.reset());
    answer.endHandler(end -> response.end());
  }

  /** One try: the backend request with the client's (or the mapped) headers and body. */
  private Future<HttpClientResponse> send(
      HttpClientAgent via,
      RequestOptions options,
      HttpServerRequest request,
      MultiMap headers,
      Buffer readBody,
      boolean bodiless,
      String requestId,
      Promise<Integer> done) {
    return via.request(options)
        .compose(
            backend -> {
              ProxyHeaders.copy(headers, backend.headers());
              forwarded.add(request, backend, requestId);
              done.future().onFailure(e -> backend.reset());
              if (readBody != null) {
                return backend.send(readBody);
              }
              return bodiless
                  ? backend.send()
                  : backend.send(new LimitedBody(request, maxBodyBytes, done::tryFail));
            });
  }

  /**
   * Whether a try failed because the backend closed or reset the connection before answering: not a
   * refused connection (the backend is down) nor a timeout.
   */
  private static boolean dropped(Throwable cause) {
    if (cause instanceof HttpClosedException) {
      return true;
    }
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    return cause instanceof IOException
        && (message.contains("reset") || message.contains("broken pipe"));
  }

  private static IntegrationException toIntegrationError(Throwable cause, Integration.Http http) {
    if (cause instanceof IntegrationException e) {
      return e;
    }
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    GatewayError error =
        message.contains("wait queue") || message.contains("too busy")
            ? GatewayError.BACKEND_SATURATED
            : message.contains("timeout") || message.contains("timed out")
                ? GatewayError.INTEGRATION_TIMEOUT
                : GatewayError.BACKEND_UNREACHABLE;
    return new IntegrationException(error, http.uri() + ": " + cause.getMessage());
  }

  @Override
  public void close() {
    clients.values().forEach(HttpClientAgent::close);
    unpooled.close();
  }
}
