package dev.portico.edge.websocket;

import dev.portico.contracts.ChannelMessage;
import dev.portico.contracts.Topics;
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
 * "channel", "eventId", "data"}}. The frame is rendered once per message, and each connection's
 * context gets one task per polled batch with its frames, in record order.
 *
 * <p>Memory stays bounded twice over. A subscriber whose outbound buffer is full is a slow
 * consumer: it is detached and closed with 1013 (Try Again Later). And the frames handed to the
 * event loops but not yet written are counted: above {@code maxQueuedBytes} the feed stops polling
 * (the consumer thread waits) until the loops have worked the queue down to half, so a burst the
 * loops cannot keep up with waits in Kafka, not in the edge's heap.
 */
final class ChannelFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelFeed.class);
  private final LocalConnections connections;
  private final WebSocketMetrics metrics;
  private final long maxQueuedBytes;
  private final Object drained = new Object();
  private long queuedBytes;

  ChannelFeed(LocalConnections connections, WebSocketMetrics metrics, long maxQueuedBytes) {
    this.connections = connections;
    this.metrics = metrics;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** On the feed's thread: hands the batch to the event loops, waiting while they are behind. */
  void accept(ConsumerRecords<String, byte[]> records) {
    Map<Context, List<Delivery>> byLoop = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      ChannelMessage message;
      try {
        message = Topics.WS_CHANNELS.decode(record.key(), record.value());
      } catch (RuntimeException e) {
        LOG.warn("Unreadable channel message at offset {}: {}", record.offset(), e.getMessage());
        continue;
      }
      if (message == null || message.channel() == null) {
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
    byLoop.forEach(
        (context, deliveries) -> {
          long bytes = 0;
          for (Delivery d : deliveries) {
            bytes += d.frame.length();
          }
          long queued = bytes;
          queued(queued);
          context.runOnContext(
              v -> {
                try {
                  write(deliveries);
                } finally {
                  queued(-queued);
                }
              });
        });
    awaitBelowHalf();
  }

  private void queued(long delta) {
    synchronized (drained) {
      queuedBytes += delta;
      if (queuedBytes <= maxQueuedBytes / 2) {
        drained.notifyAll();
      }
    }
  }

  private void awaitBelowHalf() {
    synchronized (drained) {
      if (queuedBytes <= maxQueuedBytes) {
        return;
      }
      metrics.feedPaused();
      while (queuedBytes > maxQueuedBytes / 2) {
        try {
          drained.wait(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Frames queued for the event loops and not yet written (tests, the gauge). */
  long queuedBytes() {
    synchronized (drained) {
      return queuedBytes;
    }
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
      WsConnection c = d.connection;
      switch (c.sendText(d.frame)) {
        case OK -> written++;
        case BUFFER_FULL -> {
          // Detach at once: the close handshake waits behind the unread frames (up to Vert.x's
          // closing timeout), and nothing more may pile up meanwhile.
          if (connections.detach(c)) {
            metrics.slowConsumerClosed();
            c.close((short) 1013, "Try again later: the client does not read fast enough");
          }
        }
        case CLOSED -> {}
      }
    }
    metrics.delivered(written);
  }

  private record Delivery(WsConnection connection, String frame) {}
}
