package dev.portico.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.testing.FreePorts;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DataPlaneServerTest {
  @Test
  void shouldServeOneFixedPortFromSeveralEventLoops() throws Exception {
    Vertx vertx = Vertx.vertx();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    int port = FreePorts.next();
    DataPlaneServer server =
        new DataPlaneServer(
            vertx,
            req -> {
              threads.add(Thread.currentThread().getName());
              req.response().end("ok");
            },
            2,
            60,
            131_072,
            null);
    try {
      server.listen("127.0.0.1", port).await(10, TimeUnit.SECONDS);
      assertEquals(port, server.actualPort());
      for (int i = 0; i < 20; i++) {
        // A new connection each time: Vert.x hands connections to the loops in turn.
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("ok", r.body());
      }
      assertEquals(2, threads.size(), threads.toString());
    } finally {
      server.shutdown().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
