package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The http integration in front of a real python {@code http.server} backend that keeps connections
 * alive: what the backend receives (no body and no transfer-encoding for a request without a body,
 * as nginx sends it), and pooled connections under concurrent load.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class HttpBackendTest {
  Process python;
  Edge edge;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    Path script =
        Path.of(HttpBackendTest.class.getResource("/python/keepalive_backend.py").toURI());
    python =
        new ProcessBuilder("python3", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String port =
        new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertTrue(port != null, "python3 did not start the backend");
    edge = new Edge(kafka, kafka.freshPrefix()).start();
    Admin admin = new Admin(edge);
    admin.importApi(
        "py",
        """
        openapi: 3.0.3
        info: {title: py}
        paths:
          /{proxy+}:
            x-amazon-apigateway-any-method:
              x-portico-integration: {type: http, uri: "http://127.0.0.1:%s/{proxy}"}
        """
            .formatted(port.trim()));
    admin.deploy("py", "py");
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    python.destroy();
    python.waitFor(10, TimeUnit.SECONDS);
  }

  HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body) {
    return Edge.send(HttpRequest.newBuilder(edge.data("/py" + path)).method(method, body).build());
  }

  @Test
  void shouldServeTwoHundredGetsFromEightClientsWithoutABadGateway() throws Exception {
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int c = 0; c < 8; c++) {
        int client = c;
        done.add(
            clients.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    int status = get("/items/" + client + "-" + i).statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      clients.shutdownNow();
    }
    assertEquals(Map.of(200, 200), counts(statuses));
  }

  private static Map<Integer, Integer> counts(Map<Integer, AtomicInteger> statuses) {
    Map<Integer, Integer> out = new java.util.TreeMap<>();
    statuses.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** A GET as the JDK client sends it: no body, no {@code content-length}. */
  HttpResponse<String> get(String path) {
    return Edge.send(HttpRequest.newBuilder(edge.data("/py" + path)).GET().build());
  }

  /** Sent on a bare socket: exactly these headers, no {@code content-length} added by a client. */
  @Test
  void shouldSendNoBodyAndNoTransferEncodingForARequestWithoutABody() throws Exception {
    for (String method : List.of("GET", "DELETE", "OPTIONS", "HEAD")) {
      RawHttp.Response r =
          RawHttp.exchange(
              edge.service.dataPort(),
              (method + " /py/plain HTTP/1.1\r\nhost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII),
              method.equals("HEAD"));
      assertEquals(200, r.status(), method);
      assertEquals("none", r.header("x-seen-transfer-encoding"), method);
      assertEquals("none", r.header("x-seen-content-length"), method);
    }
    // A length the client declared is known: it is kept, even when it is 0.
    RawHttp.Response declared =
        RawHttp.exchange(
            edge.service.dataPort(),
            "DELETE /py/plain HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n");
    assertEquals("none", declared.header("x-seen-transfer-encoding"));
    assertEquals("0", declared.header("x-seen-content-length"));
  }

  @Test
  void shouldSendTheLengthWhenItIsKnownAndStreamAChunkedBody() {
    byte[] payload = new byte[100_000];
    HttpResponse<String> fixed =
        send("POST", "/fixed", HttpRequest.BodyPublishers.ofByteArray(payload));
    assertEquals(200, fixed.statusCode(), fixed.body());
    JsonNode seen = Admin.json(fixed);
    assertEquals("100000", seen.get("headers").get("content-length").asText());
    assertTrue(seen.get("headers").get("transfer-encoding") == null, seen.toString());
    assertEquals(100_000, seen.get("bodyBytes").asInt());

    HttpResponse<String> chunked =
        send(
            "POST",
            "/chunked",
            HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(payload)));
    assertEquals(200, chunked.statusCode(), chunked.body());
    seen = Admin.json(chunked);
    assertEquals("chunked", seen.get("headers").get("transfer-encoding").asText());
    assertEquals(100_000, seen.get("bodyBytes").asInt());
    assertEquals("/chunked", seen.get("path").asText());
    assertTrue(seen.get("headers").has("x-forwarded-for"), seen.toString());
  }

  /**
   * A kept-alive connection the backend closes as the edge sends on it (its keep-alive timeout, a
   * restart): a request without a body is sent once more, on a new connection.
   */
  @Test
  void shouldRetryABodilessRequestWhoseReusedConnectionTheBackendClosed() {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = get("/drop-reused");
      assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
    }
  }
}
