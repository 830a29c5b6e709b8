package dev.portico.edge.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.edge.api.ChannelRule;
import dev.portico.edge.api.WebSocketApi;
import dev.portico.edge.guards.Scopes;
import io.vertx.core.json.JsonObject;

/**
 * The built-in {@code subscribe} / {@code unsubscribe} actions: {@code {"action":"subscribe",
 * "channel":"customers/1230AWS"}}. A channel name is 1 to 256 characters with no whitespace and no
 * {@code *}; the API's channel rules decide who may subscribe (the authorization hook: a matching
 * rule, and every scope it lists in the {@code $connect} token). Answers {@code {"type":
 * "subscribed"|"unsubscribed", "channel"}} or an error frame.
 */
final class ChannelSubscriptions {
  static final int MAX_CHANNEL_LENGTH = 256;
  private final LocalConnections connections;
  private final int maxSubscriptions;

  ChannelSubscriptions(LocalConnections connections, int maxSubscriptions) {
    this.connections = connections;
    this.maxSubscriptions = maxSubscriptions;
  }

  static boolean isValidName(String channel) {
    if (channel == null || channel.isEmpty() || channel.length() > MAX_CHANNEL_LENGTH) {
      return false;
    }
    return channel.codePoints().noneMatch(ch -> ch == '*' || Character.isWhitespace(ch) || ch < 32);
  }

  /** Runs the action; returns the frame to answer with, and whether it is a client error. */
  Answer handle(WsConnection c, String action, JsonNode message) {
    JsonNode node = message.path("channel");
    String channel = node.isTextual() ? node.asText() : null;
    if (!isValidName(channel)) {
      return Answer.error(
          "Invalid channel: a name of 1 to " + MAX_CHANNEL_LENGTH + " characters, no spaces or *",
          channel);
    }
    if (action.equals(WebSocketApi.UNSUBSCRIBE)) {
      connections.unsubscribe(c, channel);
      return Answer.ok("unsubscribed", channel);
    }
    ChannelRule rule = c.release.websocket().channelRule(channel);
    if (rule == null || !Scopes.of(c.claims).containsAll(rule.scopes())) {
      return Answer.error("Forbidden", channel);
    }
    if (!c.channels.contains(channel) && c.channels.size() >= maxSubscriptions) {
      return Answer.error(
          "Too many subscriptions: at most " + maxSubscriptions + " per connection", channel);
    }
    connections.subscribe(c, channel);
    return Answer.ok("subscribed", channel);
  }

  record Answer(JsonObject frame, boolean clientError) {
    static Answer ok(String type, String channel) {
      return new Answer(new JsonObject().put("type", type).put("channel", channel), false);
    }

    static Answer error(String message, String channel) {
      return new Answer(new JsonObject().put("message", message).put("channel", channel), true);
    }
  }
}
