package dev.portico.edge.websocket;

import dev.portico.contracts.ChannelMessage;
import dev.portico.contracts.Json;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers channel messages from Kafka to this replica's subscribers as {@code {"type":"message",
 * "channel", "eventId", "data"}}. The frame is rendered once per message, and each event loop gets
 * one task per batch with all of its subscribers' frames, in record order. A subscriber whose
 * outbound buffer is full is a slow consumer: it is closed with 1013 (Try Again Later) and counted,
 * so a client that stops reading never makes the edge hold more than its buffer.
 */
final class ChannelFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelFeed.class);
  private final LocalConnections connections;
  private final WebSocketMetrics metrics;

  ChannelFeed(LocalConnections connections, WebSocketMetrics metrics) {
    this.connections = connections;
    this.metrics = metrics;
  }

  void accept(ConsumerRecords<String, byte[]> records) {
    Map<Context, List<Delivery>> byLoop = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      ChannelMessage message;
      try {
        message = Json.fromBytes(record.value(), ChannelMessage.class);
      } catch (RuntimeException e) {
        LOG.warn("Unreadable channel message at offset {}: {}", record.offset(), e.getMessage());
        continue;
      }
      if (message.channel() == null) {
        continue;
      }
      List<WsConnection> subscribers = connections.subscribers(message.channel());
      if (subscribers.isEmpty()) {
        continue;
      }
      String frame = frame(message);
      for (WsConnection c : subscribers) {
        byLoop.computeIfAbsent(c.context, k -> new ArrayList<>()).add(new Delivery(c, frame));
      }
    }
    byLoop.forEach((context, deliveries) -> context.runOnContext(v -> write(deliveries)));
  }

  static String frame(ChannelMessage message) {
    JsonObject frame = new JsonObject().put("type", "message").put("channel", message.channel());
    if (message.eventId() != null) {
      frame.put("eventId", message.eventId());
    }
    String data = message.data() == null ? "null" : message.data().toString();
    // The data is JSON already: splice it in rather than parse and re-encode it.
    String head = frame.encode();
    return head.substring(0, head.length() - 1) + ",\"data\":" + data + "}";
  }

  private void write(List<Delivery> deliveries) {
    int written = 0;
    for (Delivery d : deliveries) {
      switch (d.connection.sendText(d.frame)) {
        case OK -> written++;
        case BUFFER_FULL -> {
          // Detach at once: the close handshake waits behind the unread frames (up to Vert.x's
          // closing timeout), and nothing more may pile up meanwhile.
          if (connections.detach(d.connection)) {
            metrics.slowConsumerClosed();
            d.connection.close(
                (short) 1013, "Try again later: the client does not read fast enough");
          }
        }
        case CLOSED -> {}
      }
    }
    metrics.delivered(written);
  }

  private record Delivery(WsConnection connection, String frame) {}
}
