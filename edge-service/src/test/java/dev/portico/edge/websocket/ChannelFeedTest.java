package dev.portico.edge.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.ChannelMessage;
import dev.portico.contracts.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The channel feed stops reading when the event loops fall behind: frames handed to a loop that
 * cannot run are counted, and over the bound the feed's thread waits until they are written.
 */
class ChannelFeedTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void shouldWaitWhileTheLoopsAreBehindAndDeliverEverythingOnceTheyCatchUp() throws Exception {
    LocalConnections connections = new LocalConnections();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WebSocketMetrics metrics = new WebSocketMetrics(registry, connections);
    CompletableFuture<WsConnection> subscribed = new CompletableFuture<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .toWebSocket()
                        .onSuccess(
                            socket -> {
                              WsConnection c =
                                  new WsConnection(
                                      "c1",
                                      socket,
                                      vertx.getOrCreateContext(),
                                      null,
                                      0,
                                      null,
                                      null,
                                      null,
                                      null,
                                      null,
                                      1 << 20);
                              connections.add(c);
                              connections.subscribe(c, "news");
                              subscribed.complete(c);
                            }))
            .listen(0, "127.0.0.1")
            .await();
    AtomicInteger received = new AtomicInteger();
    WebSocket client =
        vertx
            .createWebSocketClient()
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(server.actualPort())
                    .setURI("/"))
            .await();
    client.textMessageHandler(text -> received.incrementAndGet());
    WsConnection connection = subscribed.get(10, TimeUnit.SECONDS);

    // The subscriber's event loop is busy (blocked) until released.
    CountDownLatch release = new CountDownLatch(1);
    connection.context.runOnContext(
        v -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    ChannelFeed feed = new ChannelFeed(connections, metrics, 10_000);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ChannelMessage message =
          new ChannelMessage(
              "news", "e" + i, Json.MAPPER.readTree("\"" + "x".repeat(1_000) + "\""));
      records.add(new ConsumerRecord<>("t", 0, i, "news", Json.toBytes(message)));
    }
    TopicPartition tp = new TopicPartition("t", 0);
    Thread feeding =
        new Thread(() -> feed.accept(new ConsumerRecords<>(Map.of(tp, records), Map.of())));
    feeding.start();

    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                feeding.getState() == Thread.State.WAITING
                    || feeding.getState() == Thread.State.TIMED_WAITING);
    assertTrue(feeding.isAlive(), "the feed waits instead of polling more");
    assertTrue(feed.queuedBytes() > 10_000, "queued " + feed.queuedBytes());
    assertEquals(1.0, registry.get("portico.edge.ws.fanout.pauses").counter().count());
    assertEquals(0, received.get());

    release.countDown();
    feeding.join(10_000);
    assertTrue(!feeding.isAlive(), "the feed goes on once the loop caught up");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> received.get() == 20);
    assertEquals(0, feed.queuedBytes());
  }
}
