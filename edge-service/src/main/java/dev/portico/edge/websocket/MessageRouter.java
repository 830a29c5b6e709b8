package dev.portico.edge.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.api.Integration;
import dev.portico.edge.api.WebSocketApi;
import dev.portico.edge.api.WebSocketRoute;
import dev.portico.edge.http.RequestIds;
import dev.portico.edge.integration.KafkaFunctionClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one client message: picks its route ({@link RouteSelector}), or the built-in channel
 * actions, and runs the route's integration. A {@code kafka} route publishes a {@code MESSAGE}
 * event keyed by connection id (a connection's messages stay in order); with {@code routeResponse}
 * it waits for the function's response and sends its body to the client (a status of 400 or more
 * counts as an IntegrationError). When the integration cannot be run (ExecutionError) the client
 * gets an error frame {@code {"message", "connectionId", "requestId"}} and keeps the connection, as
 * in API Gateway.
 */
final class MessageRouter {
  private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);
  private final KafkaFunctionClient functions;
  private final ChannelSubscriptions channels;
  private final WebSocketMetrics metrics;

  MessageRouter(
      KafkaFunctionClient functions, ChannelSubscriptions channels, WebSocketMetrics metrics) {
    this.functions = functions;
    this.channels = channels;
    this.metrics = metrics;
  }

  void onText(WsConnection c, String text) {
    received(c);
    WebSocketApi api = c.release.websocket();
    JsonNode json = RouteSelector.parse(text);
    String selected = RouteSelector.selectionKey(api, json);
    if (api.channelsEnabled()
        && (WebSocketApi.SUBSCRIBE.equals(selected) || WebSocketApi.UNSUBSCRIBE.equals(selected))
        && api.route(selected) == null) {
      ChannelSubscriptions.Answer answer = channels.handle(c, selected, json);
      if (answer.clientError()) {
        count(c, WebSocketMetrics.CLIENT_ERROR);
      }
      send(c, answer.frame().encode());
      return;
    }
    dispatch(c, RouteSelector.route(api, json), text, false);
  }

  /** Binary frames are not JSON: they go to {@code $default}, base64 in the event. */
  void onBinary(WsConnection c, Buffer bytes) {
    received(c);
    WebSocketApi api = c.release.websocket();
    String key = api.route(WebSocketApi.DEFAULT) == null ? null : WebSocketApi.DEFAULT;
    dispatch(c, key, Base64.getEncoder().encodeToString(bytes.getBytes()), true);
  }

  private void received(WsConnection c) {
    c.lastActiveAt = System.currentTimeMillis();
    count(c, WebSocketMetrics.MESSAGE_COUNT);
  }

  private void dispatch(WsConnection c, String routeKey, String body, boolean base64) {
    String requestId = RequestIds.next();
    if (routeKey == null) {
      count(c, WebSocketMetrics.CLIENT_ERROR);
      sendError(c, "Forbidden", requestId);
      return;
    }
    WebSocketRoute route = c.release.websocket().route(routeKey);
    if (route.integration() instanceof Integration.Mock mock) {
      if (route.routeResponse() && !mock.body().isEmpty()) {
        send(c, mock.body());
      }
      return;
    }
    Integration.Kafka kafka = (Integration.Kafka) route.integration();
    Object event = WebSocketEvents.message(c, routeKey, requestId, body, base64);
    if (!route.routeResponse()) {
      functions
          .publish(kafka.topic(), c.id, event, requestId, kafka.timeout())
          .onFailure(e -> integrationFailed(c, requestId, e));
      return;
    }
    functions
        .invoke(kafka.topic(), c.id, event, requestId, kafka.timeout())
        .onSuccess(response -> respond(c, response))
        .onFailure(e -> integrationFailed(c, requestId, e));
  }

  private void respond(WsConnection c, FunctionResponse response) {
    if (response.statusCode() >= 400) {
      count(c, WebSocketMetrics.INTEGRATION_ERROR);
    }
    if (response.body() == null || response.body().isEmpty()) {
      return;
    }
    if (response.isBase64Encoded()) {
      try {
        c.sendBinary(Buffer.buffer(Base64.getDecoder().decode(response.body())));
        count(c, WebSocketMetrics.MESSAGE_COUNT);
      } catch (IllegalArgumentException notBase64) {
        count(c, WebSocketMetrics.INTEGRATION_ERROR);
        sendError(c, "Internal server error", null);
      }
      return;
    }
    send(c, response.body());
  }

  /** The integration could not be run (Kafka down, no reply in time, a malformed reply). */
  private void integrationFailed(WsConnection c, String requestId, Throwable cause) {
    LOG.debug("WebSocket integration of {} failed: {}", c.id, cause.getMessage());
    count(c, WebSocketMetrics.EXECUTION_ERROR);
    sendError(c, "Internal server error", requestId);
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
