package dev.portico.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket fan-out ceiling: a bare Vert.x server that does what the edge's channel feed does
 * and nothing else. A client sends {@code {"action":"subscribe","channel":C}} and gets {@code
 * {"type":"subscribed","channel":C}}; a publisher sends {@code {"action":"publish","channel":C,
 * "eventId":E,"data":D}} over its own WebSocket, and every subscriber of C gets {@code
 * {"type":"message","channel":C,"eventId":E,"data":D}}: the frame rendered once, one task per event
 * loop with its subscribers' writes, a full outbound buffer closes with 1013. No Kafka, no API, no
 * metrics.
 */
final class WsBareFanoutServer {
  private static final int OUTBOUND_BUFFER_BYTES = 1 << 20;

  private final Map<String, Set<Subscriber>> byChannel = new ConcurrentHashMap<>();

  private record Subscriber(ServerWebSocket socket, Context context) {}

  /** Starts {@code loops} server verticles (one per event loop) sharing {@code port}. */
  static Future<Vertx> start(int port, int loops) {
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
    WsBareFanoutServer state = new WsBareFanoutServer();
    return vertx
        .deployVerticle(() -> state.new Listener(port), new DeploymentOptions().setInstances(loops))
        .map(id -> vertx);
  }

  private final class Listener extends VerticleBase {
    private final int port;

    Listener(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer()
          .webSocketHandler(
              ws -> {
                Subscriber me = new Subscriber(ws, context);
                ws.setWriteQueueMaxSize(OUTBOUND_BUFFER_BYTES);
                ws.textMessageHandler(text -> onText(me, text));
                ws.exceptionHandler(e -> {});
                ws.closeHandler(v -> byChannel.values().forEach(set -> set.remove(me)));
              })
          .listen(port, "127.0.0.1");
    }
  }

  private void onText(Subscriber from, String text) {
    JsonObject message = new JsonObject(text);
    String channel = message.getString("channel");
    switch (String.valueOf(message.getString("action"))) {
      case "subscribe" -> {
        byChannel.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(from);
        from.socket()
            .writeTextMessage(
                new JsonObject().put("type", "subscribed").put("channel", channel).encode());
      }
      case "publish" -> publish(channel, message.getString("eventId"), message.getValue("data"));
      default -> {}
    }
  }

  private void publish(String channel, String eventId, Object data) {
    Set<Subscriber> subscribers = byChannel.get(channel);
    if (subscribers == null || subscribers.isEmpty()) {
      return;
    }
    JsonObject head = new JsonObject().put("type", "message").put("channel", channel);
    if (eventId != null) {
      head.put("eventId", eventId);
    }
    String encoded = head.encode();
    String frame =
        encoded.substring(0, encoded.length() - 1)
            + ",\"data\":"
            + (data instanceof JsonObject json ? json.encode() : String.valueOf(data))
            + "}";
    Map<Context, List<ServerWebSocket>> byLoop = new HashMap<>();
    for (Subscriber s : subscribers) {
      byLoop.computeIfAbsent(s.context(), k -> new ArrayList<>()).add(s.socket());
    }
    byLoop.forEach(
        (context, sockets) ->
            context.runOnContext(
                v -> {
                  for (ServerWebSocket ws : sockets) {
                    if (ws.isClosed()) {
                      continue;
                    }
                    if (ws.writeQueueFull()) {
                      ws.close((short) 1013, "slow consumer");
                    } else {
                      ws.writeFinalTextFrame(frame);
                    }
                  }
                }));
  }
}
