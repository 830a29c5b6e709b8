package dev.portico.edge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portico.edge.api.Integration;
import dev.portico.edge.routing.RouteMatch;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client that goes away while the backend's answer streams through: the backend's stream is reset
 * (its pooled connection is not left hanging) and nothing throws on the event loop.
 */
class HttpProxyCutOffTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpProxy proxy = new HttpProxy(vertx, 4, 100, 1, 1 << 20, List.of());
  private final Logger contextLog = (Logger) LoggerFactory.getLogger("io.vertx.core.impl");
  private final ListAppender<ILoggingEvent> errors = new ListAppender<>();

  @AfterEach
  void close() throws Exception {
    contextLog.detachAppender(errors);
    proxy.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldResetTheBackendWhenTheClientLeavesMidAnswer() throws Exception {
    errors.start();
    contextLog.addAppender(errors);
    Promise<Void> backendClosed = Promise.promise();
    int backend = startEndlessBackend(backendClosed);
    int front = startFront(backend);

    try (Socket client = new Socket("127.0.0.1", front)) {
      client
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      byte[] buffer = new byte[8192];
      int read = 0;
      while (read < 64 * 1024) { // headers and the first chunks of the answer
        int n = in.read(buffer);
        assertTrue(n > 0, "the answer streams");
        read += n;
      }
      client.setSoLinger(true, 0); // close with a reset, as a client that gives up does
    }

    backendClosed.future().await(10, TimeUnit.SECONDS);
    assertEquals(
        List.of(),
        errors.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
            .map(
                e ->
                    e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                            ? ""
                            : ": " + e.getThrowableProxy().getMessage()))
            .toList(),
        "errors on the event loop");
  }

  @Test
  void shouldCloseTheClientsConnectionWhenTheBackendBreaksOffMidBody() throws Exception {
    // Two chunks, then the backend's connection closes without the last (empty) chunk.
    int backend =
        serve(
            request -> {
              var response = request.response().setChunked(true);
              response.write("first,");
              response.write("second");
              vertx.setTimer(50, id -> request.connection().close());
            });
    int front = startFront(backend);

    try (Socket client = new Socket("127.0.0.1", front)) {
      client.setSoTimeout(10_000);
      client
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // Everything until the edge closes the connection (a read timeout fails the test).
      String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.contains("second"), answer);
      assertTrue(
          !answer.endsWith("0\r\n\r\n"), "no last chunk: the body is not complete\n" + answer);
    } catch (SocketException reset) {
      // A reset instead of a close: the client cannot mistake the body for a whole one either.
    }
  }

  /** Streams 8 KiB chunks every 2 ms until its client (the proxy) resets or closes. */
  private int startEndlessBackend(Promise<Void> closed) throws Exception {
    Buffer chunk = Buffer.buffer(new byte[8192]);
    return serve(
        request -> {
          var response = request.response().setChunked(true);
          long timer =
              vertx.setPeriodic(
                  2,
                  id -> {
                    if (!response.closed() && !response.writeQueueFull()) {
                      response.write(chunk);
                    }
                  });
          response.closeHandler(
              v -> {
                vertx.cancelTimer(timer);
                closed.tryComplete();
              });
        });
  }

  private int startFront(int backend) throws Exception {
    Integration.Http http =
        new Integration.Http("http://127.0.0.1:" + backend + "/", null, Duration.ofSeconds(10));
    return serve(
        request -> {
          request.pause();
          proxy.proxy(request, http, new RouteMatch(null, Map.of()), "r-1", null, null);
        });
  }

  /** An HTTP server on a free loopback port; its port. */
  private int serve(Handler<HttpServerRequest> handler) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(handler)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    return server.actualPort();
  }
}
