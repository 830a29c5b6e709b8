package dev.portico.edge.websocket;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.RequestEvent;
import dev.portico.edge.api.Integration;
import dev.portico.edge.api.PathTemplate;
import dev.portico.edge.api.Route;
import dev.portico.edge.api.RouteOptions;
import dev.portico.edge.api.WebSocketApi;
import dev.portico.edge.api.WebSocketRoute;
import dev.portico.edge.integration.FunctionOutcomes;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.RequestIds;
import dev.portico.edge.routing.RouteMatch;
import dev.portico.edge.serving.Release;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket connections of the data plane: a client upgrades at {@code /{stage}} of a stage whose
 * API has {@code x-portico-websocket}. The data plane's guards check the upgrade request against
 * {@code $connect}'s requirements first; then {@code $connect}'s integration decides (a status of
 * 300 or more refuses the upgrade with that status), the socket is accepted and registered, and its
 * frames go to the {@link MessageRouter}. On close, {@code $disconnect}'s integration is told. A
 * sweeper closes idle (1001) and too old (1001) connections and pings quiet ones so that the HTTP
 * idle timeout never cuts a live socket.
 */
public final class WebSocketGateway {
  /** The upgrade response's header naming the new connection's id. */
  public static final String CONNECTION_ID_HEADER = "x-portico-connection-id";

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketGateway.class);
  private static final Integration ACCEPT = new Integration.Mock(200, Map.of(), "");
  private static final PathTemplate ROOT = PathTemplate.parse("/");

  /** A connection the edge sent nothing to for this long is pinged. */
  private final long pingAfterMillis;

  private final Vertx vertx;
  private final KafkaFunctionClient functions;
  private final LocalConnections connections;
  private final WebSocketLimits limits;
  private final int instance;
  private final WebSocketMetrics metrics;
  private final MessageRouter router;
  private final ConnectRate connectRate;
  private final WsRequestEvents events;
  private long sweeper = -1;

  public WebSocketGateway(
      Vertx vertx,
      KafkaFunctionClient functions,
      LocalConnections connections,
      WebSocketLimits limits,
      Duration keepAlive,
      int instance,
      WebSocketMetrics metrics,
      Consumer<RequestEvent> requestEvents) {
    this.vertx = vertx;
    this.functions = functions;
    this.connections = connections;
    this.limits = limits;
    this.pingAfterMillis = keepAlive.toMillis();
    this.instance = instance;
    this.metrics = metrics;
    this.events = new WsRequestEvents(requestEvents);
    this.router =
        new MessageRouter(
            functions,
            new ChannelSubscriptions(connections, limits.maxSubscriptions()),
            metrics,
            events);
    this.connectRate = new ConnectRate(limits.connectRate(), System::nanoTime);
  }

  /** Starts the sweeper of idle and old connections. */
  public void start() {
    long shortest = Math.min(limits.idleTimeout().toMillis(), limits.maxConnectionAge().toMillis());
    long interval = Math.max(50, Math.min(Math.min(5_000, shortest / 10), pingAfterMillis / 4));
    sweeper = vertx.setPeriodic(interval, id -> sweep());
  }

  public void stop() {
    vertx.cancelTimer(sweeper);
    connections
        .all()
        .forEach(c -> c.context.runOnContext(v -> c.close((short) 1001, "Going away")));
  }

  /**
   * How long a connection may go without a frame from the edge before it is pinged: a third of the
   * data plane's HTTP idle timeout (which also covers upgraded sockets), at most 20 s.
   */
  public static Duration keepAliveFor(Duration httpIdleTimeout) {
    return Duration.ofMillis(Math.min(20_000, httpIdleTimeout.toMillis() / 3));
  }

  public static boolean isUpgrade(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && "websocket".equalsIgnoreCase(request.getHeader("upgrade"));
  }

  /**
   * Whether one more connection may open now: under the open-connection limit and the connect rate
   * (one {@link ConnectRate} for the replica, shared by its event loops).
   */
  public boolean admit() {
    return connections.size() < limits.maxConnections() && connectRate.tryAcquire();
  }

  /** The route the guards check an upgrade against: {@code $connect}'s requirements. */
  public static RouteMatch connectMatch(WebSocketApi api) {
    WebSocketRoute connect = api.route(WebSocketApi.CONNECT);
    Integration integration = connect == null ? ACCEPT : connect.integration();
    RouteOptions options = connect == null ? RouteOptions.NONE : connect.options();
    return new RouteMatch(new Route("GET", ROOT, integration, options), Map.of());
  }

  /**
   * Runs {@code $connect}'s integration and accepts or refuses the upgrade; completes with the
   * status the client got (101 when accepted). A function integration's outcome goes to {@code
   * function} (the function metrics).
   */
  public Future<Integer> connect(Exchange ex, FunctionOutcomes.Sink function) {
    HttpServerRequest request = ex.request();
    Release release = ex.release();
    String id = ConnectionIds.next(instance);
    ex.connectAs(id);
    WsConnection pending =
        new WsConnection(
            id,
            null,
            vertx.getOrCreateContext(),
            release,
            ex.startEpochMillis(),
            request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
            request.getHeader("user-agent"),
            ex.claims(),
            ex.apiKey() == null ? null : ex.apiKey().id(),
            ex.authorizer(),
            limits.outboundBufferBytes());
    return verdict(ex, pending, function)
        .compose(
            verdict -> {
              if (verdict.statusCode() >= 300) {
                return Future.succeededFuture(refuse(request.response(), verdict));
              }
              // The client's own id, on the 101: what it gives a backend to reach it through
              // @connections (a browser cannot read it; it asks with {"action":"whoami"}).
              request.response().putHeader(CONNECTION_ID_HEADER, id);
              return request.toWebSocket().map(socket -> accept(pending, socket));
            });
  }

  private Future<FunctionResponse> verdict(
      Exchange ex, WsConnection c, FunctionOutcomes.Sink function) {
    Integration integration = ex.match().route().integration();
    if (integration instanceof Integration.Mock mock) {
      return Future.succeededFuture(
          new FunctionResponse(mock.statusCode(), mock.headers(), mock.body(), false));
    }
    Integration.Kafka kafka = (Integration.Kafka) integration;
    Object event =
        WebSocketEvents.connect(
            c,
            ex.requestId(),
            WebSocketEvents.flatten(ex.request().headers()),
            WebSocketEvents.flatten(ex.request().params()));
    if (kafka.mode() == Integration.Mode.ASYNC) {
      return FunctionOutcomes.observePublish(
              () -> functions.publish(kafka.topic(), c.id, event, ex.requestId(), kafka.timeout()),
              function)
          .map(v -> new FunctionResponse(200, Map.of(), null, false));
    }
    return FunctionOutcomes.observe(
        () ->
            functions.invoke(
                kafka.topic(),
                c.id,
                event,
                ex.requestId(),
                kafka.timeout(),
                events.lateReply(c, ex.requestId(), kafka.topic())),
        function);
  }

  private static int refuse(HttpServerResponse response, FunctionResponse verdict) {
    response.setStatusCode(verdict.statusCode());
    if (verdict.headers() != null) {
      verdict.headers().forEach(response::putHeader);
    }
    response.end(verdict.body() == null ? "" : verdict.body());
    return verdict.statusCode();
  }

  private int accept(WsConnection pending, ServerWebSocket socket) {
    WsConnection c =
        new WsConnection(
            pending.id,
            socket,
            pending.context,
            pending.release,
            pending.connectedAt,
            pending.sourceIp,
            pending.userAgent,
            pending.claims,
            pending.apiKeyId,
            pending.authorizer,
            limits.outboundBufferBytes());
    connections.add(c);
    metrics.count(WebSocketMetrics.CONNECT_COUNT, c.release.apiName(), c.release.stage());
    socket.textMessageHandler(text -> router.onText(c, text));
    socket.binaryMessageHandler(bytes -> router.onBinary(c, bytes));
    socket.exceptionHandler(e -> failed(c, e));
    socket.closeHandler(v -> closed(c));
    return 101;
  }

  /**
   * A message over the limit (one frame, or the frames of one message together) closes the
   * connection with 1009; Vert.x reports both as exceptions and would leave the socket open.
   */
  private void failed(WsConnection c, Throwable e) {
    boolean tooBig =
        e instanceof CorruptedWebSocketFrameException corrupt
                && corrupt.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
            || e instanceof IllegalStateException
                && String.valueOf(e.getMessage()).contains("max message size");
    if (tooBig) {
      metrics.count(WebSocketMetrics.CLIENT_ERROR, c.release.apiName(), c.release.stage());
      c.close(
          (short) WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
          "Message too big: at most " + limits.maxMessageBytes() + " bytes");
    } else {
      LOG.debug("WebSocket {}: {}", c.id, e.getMessage());
    }
  }

  /**
   * Publishes {@code $disconnect}'s event when the route has a function, then the connection's
   * {@code DISCONNECT} request event (naming that function when Kafka took the event).
   */
  private void closed(WsConnection c) {
    connections.remove(c);
    Short code = c.socket.closeStatusCode();
    int closeCode = code == null ? 1006 : code;
    String requestId = RequestIds.next();
    WebSocketRoute route = c.release.websocket().route(WebSocketApi.DISCONNECT);
    if (route == null || !(route.integration() instanceof Integration.Kafka kafka)) {
      events.disconnect(c, requestId, closeCode, null);
      return;
    }
    functions
        .publish(
            kafka.topic(),
            c.id,
            WebSocketEvents.disconnect(
                c, requestId, c.socket.closeStatusCode(), c.socket.closeReason()),
            requestId,
            kafka.timeout())
        .onComplete(
            published -> {
              if (published.failed()) {
                LOG.warn(
                    "$disconnect of {} not published: {}", c.id, published.cause().getMessage());
                metrics.count(
                    WebSocketMetrics.EXECUTION_ERROR, c.release.apiName(), c.release.stage());
              }
              events.disconnect(
                  c, requestId, closeCode, published.succeeded() ? kafka.topic() : null);
            });
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (WsConnection c : connections.all()) {
      if (now - c.lastActiveAt >= limits.idleTimeout().toMillis()) {
        c.context.runOnContext(v -> c.close((short) 1001, "Going away: idle timeout"));
      } else if (now - c.connectedAt >= limits.maxConnectionAge().toMillis()) {
        c.context.runOnContext(v -> c.close((short) 1001, "Going away: maximum connection time"));
      } else if (now - c.lastSentAt >= pingAfterMillis) {
        c.lastSentAt = now;
        c.context.runOnContext(v -> c.socket.writePing(Buffer.buffer()));
      }
    }
  }

  LocalConnections connections() {
    return connections;
  }
}
