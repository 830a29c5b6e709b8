package dev.portico.edge.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.api.Integration;
import dev.portico.edge.api.WebSocketApi;
import dev.portico.edge.api.WebSocketRoute;
import dev.portico.edge.integration.FunctionOutcomes;
import dev.portico.edge.integration.KafkaFunctionClient;
import dev.portico.edge.request.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one client message: picks its route ({@link RouteSelector}), or the built-in actions
 * (channel {@code subscribe} / {@code unsubscribe}, {@code whoami}), and runs the route's
 * integration. A {@code kafka} route publishes a {@code MESSAGE} event keyed by connection id (a
 * connection's messages stay in order); with {@code routeResponse} it waits for the function's
 * response and sends its body to the client (a status of 400 or more counts as an
 * IntegrationError). When the integration cannot be run (ExecutionError) the client gets an error
 * frame {@code {"message", "connectionId", "requestId"}} and keeps the connection, as in API
 * Gateway. Each message's outcome is counted and published as a request event.
 */
final class MessageRouter {
  private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);
  private final KafkaFunctionClient functions;
  private final ChannelSubscriptions channels;
  private final WebSocketMetrics metrics;
  private final WsRequestEvents events;

  MessageRouter(
      KafkaFunctionClient functions,
      ChannelSubscriptions channels,
      WebSocketMetrics metrics,
      WsRequestEvents events) {
    this.functions = functions;
    this.channels = channels;
    this.metrics = metrics;
    this.events = events;
  }

  /** One message on its way: when it came, which route took it, how long its integration ran. */
  private static final class Message {
    final String requestId = RequestIds.next();
    final long startMillis = System.currentTimeMillis();
    final long startNanos = System.nanoTime();
    String routeKey;
    Integration integration;
    long integrationStart;
    long integrationEnd;
    String functionOutcome;
    double functionDurationMs;

    void functionReturned(String outcome, double durationMs) {
      functionOutcome = outcome;
      functionDurationMs = durationMs;
    }

    double integrationLatencyMs() {
      return integrationEnd == 0 ? 0 : (integrationEnd - integrationStart) / 1e6;
    }
  }

  void onText(WsConnection c, String text) {
    Message m = received(c);
    WebSocketApi api = c.release.websocket();
    JsonNode json = RouteSelector.parse(text);
    String selected = RouteSelector.selectionKey(api, json);
    if (api.channelsEnabled()
        && (WebSocketApi.SUBSCRIBE.equals(selected) || WebSocketApi.UNSUBSCRIBE.equals(selected))
        && api.route(selected) == null) {
      m.routeKey = selected;
      ChannelSubscriptions.Answer answer = channels.handle(c, selected, json);
      send(c, answer.frame().encode());
      done(c, m, answer.clientError() ? WebSocketMetrics.CLIENT_ERROR : null);
      return;
    }
    if (WebSocketApi.WHOAMI.equals(selected) && api.route(selected) == null) {
      m.routeKey = selected;
      send(c, whoami(c));
      done(c, m, null);
      return;
    }
    dispatch(c, m, RouteSelector.route(api, json), text, false);
  }

  /**
   * The built-in {@code whoami}: the connection's own id, which a client needs to hand to a backend
   * that will call {@code @connections} for it (a browser cannot read the upgrade's {@code
   * x-portico-connection-id} header).
   */
  private static String whoami(WsConnection c) {
    return new JsonObject()
        .put("type", WebSocketApi.WHOAMI)
        .put("connectionId", c.id)
        .put("connectedAt", WsConnection.isoMillis(c.connectedAt))
        .encode();
  }

  /** Binary frames are not JSON: they go to {@code $default}, base64 in the event. */
  void onBinary(WsConnection c, Buffer bytes) {
    Message m = received(c);
    WebSocketApi api = c.release.websocket();
    String key = api.route(WebSocketApi.DEFAULT) == null ? null : WebSocketApi.DEFAULT;
    dispatch(c, m, key, Base64.getEncoder().encodeToString(bytes.getBytes()), true);
  }

  private Message received(WsConnection c) {
    c.lastActiveAt = System.currentTimeMillis();
    count(c, WebSocketMetrics.MESSAGE_COUNT);
    return new Message();
  }

  private void dispatch(WsConnection c, Message m, String routeKey, String body, boolean base64) {
    if (routeKey == null) {
      sendError(c, "Forbidden", m.requestId);
      done(c, m, WebSocketMetrics.CLIENT_ERROR);
      return;
    }
    m.routeKey = routeKey;
    WebSocketRoute route = c.release.websocket().route(routeKey);
    m.integration = route.integration();
    integrate(c, m, route, body, base64)
        .onComplete(
            outcome -> {
              m.integrationEnd = System.nanoTime();
              if (outcome.succeeded()) {
                done(c, m, outcome.result());
              } else {
                LOG.debug(
                    "WebSocket integration of {} failed: {}", c.id, outcome.cause().getMessage());
                sendError(c, "Internal server error", m.requestId);
                done(c, m, WebSocketMetrics.EXECUTION_ERROR);
              }
            });
  }

  /** Runs the route's integration; completes with the message's error type, or {@code null}. */
  private Future<String> integrate(
      WsConnection c, Message m, WebSocketRoute route, String body, boolean base64) {
    m.integrationStart = System.nanoTime();
    if (route.integration() instanceof Integration.Mock mock) {
      if (route.routeResponse() && !mock.body().isEmpty()) {
        send(c, mock.body());
      }
      return Future.succeededFuture(null);
    }
    Integration.Kafka kafka = (Integration.Kafka) route.integration();
    Object event = WebSocketEvents.message(c, m.routeKey, m.requestId, body, base64);
    if (!route.routeResponse()) {
      return FunctionOutcomes.observePublish(
              () -> functions.publish(kafka.topic(), c.id, event, m.requestId, kafka.timeout()),
              m::functionReturned)
          .map(v -> null);
    }
    return FunctionOutcomes.observe(
            () ->
                functions.invoke(
                    kafka.topic(),
                    c.id,
                    event,
                    m.requestId,
                    kafka.timeout(),
                    events.lateReply(c, m.requestId, kafka.topic())),
            m::functionReturned)
        .map(response -> respond(c, m, response));
  }

  /** Sends the route response; returns the message's error type, or {@code null}. */
  private String respond(WsConnection c, Message m, FunctionResponse response) {
    String errorType = response.statusCode() >= 400 ? WebSocketMetrics.INTEGRATION_ERROR : null;
    if (response.body() == null || response.body().isEmpty()) {
      return errorType;
    }
    if (!response.isBase64Encoded()) {
      send(c, response.body());
      return errorType;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(response.body());
    } catch (IllegalArgumentException notBase64) {
      sendError(c, "Internal server error", m.requestId);
      return WebSocketMetrics.INTEGRATION_ERROR;
    }
    if (c.sendBinary(Buffer.buffer(bytes)) == WsConnection.Sent.OK) {
      count(c, WebSocketMetrics.MESSAGE_COUNT);
    }
    return errorType;
  }

  /** Counts the message's outcome and publishes its request event. */
  private void done(WsConnection c, Message m, String errorType) {
    if (errorType != null) {
      count(c, errorType);
    }
    events.message(
        c,
        m.routeKey,
        m.requestId,
        m.startMillis,
        m.startNanos,
        m.integration,
        m.integrationLatencyMs(),
        errorType,
        m.functionOutcome,
        m.functionDurationMs);
  }

  private void sendError(WsConnection c, String message, String requestId) {
    JsonObject frame = new JsonObject().put("message", message).put("connectionId", c.id);
    if (requestId != null) {
      frame.put("requestId", requestId);
    }
    send(c, frame.encode());
  }

  private void send(WsConnection c, String text) {
    if (c.sendText(text) == WsConnection.Sent.OK) {
      count(c, WebSocketMetrics.MESSAGE_COUNT);
    }
  }

  private void count(WsConnection c, String metric) {
    metrics.count(metric, c.release.apiName(), c.release.stage());
  }
}
