package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.runtime.ConfigReader;
import dev.portico.stream.StreamConfig;
import dev.portico.stream.StreamService;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket story end to end, with a plain WebSocket client: subscribed to {@code
 * customers/1230AWS} on the bundled customer-api, it receives the INSERT and then the MODIFY of
 * that item, written through the REST API, as stream records, and nothing about another item
 * written in between.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
@Tag("integration")
class LiveChannelEndToEndTest {

  @Test
  void shouldSendASubscriberItsItemsChangesInOrderAndNothingElse(
      TestKafka kafka, @TempDir Path stateDir) throws Exception {
    try (Suite suite =
        new Suite(kafka.bootstrapServers(), kafka.freshPrefix(), stateDir, 10_000).start()) {
      Map<String, String> env = new HashMap<>(suite.env);
      env.put("PORTICO_STREAM_PORT", "0");
      StreamService stream =
          new StreamService(suite.vertx, StreamConfig.read(new ConfigReader(env)));
      Suite.await(stream.start());
      try {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(stream::isReady);
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket =
            HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(
                    URI.create("ws://127.0.0.1:" + suite.edge.dataPort() + "/prod"),
                    new WebSocket.Listener() {
                      final StringBuilder partial = new StringBuilder();

                      @Override
                      public CompletionStage<?> onText(
                          WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                          frames.add(partial.toString());
                          partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                      }
                    })
                .get(10, TimeUnit.SECONDS);
        socket.sendText("{\"action\":\"subscribe\",\"channel\":\"customers/1230AWS\"}", true);
        JsonNode ack = next(frames);
        assertEquals("subscribed", ack.path("type").asText(), ack.toString());

        put(suite, "1230AWS", "{\"customer_name\":\"Ada\"}", 201);
        put(suite, "4567GCP", "{\"customer_name\":\"Bob\"}", 201);
        HttpResponse<String> modified =
            Http.request(
                "PATCH",
                suite.url("/prod/customer/1230AWS"),
                "{\"set\":{\"customer_name\":\"Grace\"}}");
        assertEquals(200, modified.statusCode(), modified.body());

        JsonNode insert = next(frames);
        JsonNode modify = next(frames);
        assertEquals("customers/1230AWS", insert.path("channel").asText());
        assertEquals("INSERT", insert.path("data").path("eventName").asText());
        assertEquals(
            "Ada",
            insert.path("data").path("dynamodb").path("NewImage").path("customer_name").asText(),
            insert.toString());
        assertEquals("MODIFY", modify.path("data").path("eventName").asText());
        assertEquals(
            "Ada",
            modify.path("data").path("dynamodb").path("OldImage").path("customer_name").asText());
        assertEquals(
            "Grace",
            modify.path("data").path("dynamodb").path("NewImage").path("customer_name").asText());
        assertEquals(insert.path("data").path("eventID").asText(), insert.path("eventId").asText());
        // 4567GCP's INSERT was published between the two; none of it reached this subscriber.
        assertNull(frames.poll(2, TimeUnit.SECONDS), "no other frame");
        socket.abort();
      } finally {
        Suite.await(stream.stop());
      }
    }
  }

  static void put(Suite suite, String id, String body, int status) {
    HttpResponse<String> response = Http.request("PUT", suite.url("/prod/customer/" + id), body);
    assertEquals(status, response.statusCode(), response.body());
  }

  static JsonNode next(BlockingQueue<String> frames) throws Exception {
    String frame = frames.poll(20, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within 20 s");
    }
    return Json.MAPPER.readTree(frame);
  }
}
