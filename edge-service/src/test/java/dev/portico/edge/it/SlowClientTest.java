package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slow clients (slow loris) cannot hold a data-plane connection: a request whose body stalls, and a
 * connection that never finishes its headers, are closed after the HTTP idle timeout (1.5 s here,
 * {@code PORTICO_EDGE_HTTP_IDLE_TIMEOUT_MS}).
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class SlowClientTest {
  @Test
  void shouldCloseConnectionsWhoseClientStalls(TestKafka kafka) throws Exception {
    try (Edge edge =
        new Edge(kafka, kafka.freshPrefix())
            .with("PORTICO_EDGE_HTTP_IDLE_TIMEOUT_MS", "1500")
            .start()) {
      Admin admin = new Admin(edge);
      admin.importApi(
          "slow",
          """
          openapi: 3.0.3
          info: {title: slow}
          paths:
            /echo:
              post:
                x-portico-integration: {type: mock, body: ok}
          """);
      admin.deploy("slow", "slow");
      String stalledBody =
          "POST /slow/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly a few bytes";
      String stalledHeaders = "GET /slow/echo HTTP/1.1\r\nHost: x\r\nX-Half: ";
      for (String stall : new String[] {stalledBody, stalledHeaders}) {
        long closedAfter = closedAfterMillis(edge.service.dataPort(), stall);
        assertTrue(closedAfter >= 1_400, "closed after " + closedAfter + " ms, before the timeout");
        assertTrue(closedAfter < 10_000, "still open after " + closedAfter + " ms");
      }
      // A client that sends its request whole is served on the same port as before.
      assertEquals("ok", edge.request("POST", "/slow/echo", "x").body());
    }
  }

  /** Sends {@code partial}, then nothing; returns when the edge closed the connection. */
  private static long closedAfterMillis(int port, String partial) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(partial.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      InputStream in = socket.getInputStream();
      // Whatever the edge answers (nothing, or an error) ends with the connection closing.
      while (in.read() >= 0) {
        // drain until end of stream
      }
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
  }
}
