package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10,000 malformed requests against a running edge: broken JSON, bad encodings, odd and huge
 * headers, truncated bodies, wrong methods, garbage request lines. The edge must answer none of
 * them with a 5xx of its own, keep serving, and keep its heap bounded.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class BadInputFuzzTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: fuzz}
      x-portico-cors: {allowOrigins: ["https://a.example"]}
      components:
        securitySchemes:
          key: {type: apiKey, in: header, name: x-api-key}
          jwt:
            type: http
            scheme: bearer
            x-portico-authorizer: {issuer: "https://i/", secret: "0123456789abcdef0123456789abcdef!"}
      paths:
        /items/{id}:
          post:
            x-portico-validate: true
            parameters: [{name: q, in: query, required: true, schema: {type: string}}]
            requestBody:
              required: true
              content:
                application/json:
                  schema: {type: object, required: [name], properties: {name: {type: string, maxLength: 8}}}
            x-portico-integration: {type: mock, statusCode: 201, body: ok}
        /keyed:
          get:
            security: [{key: []}]
            x-portico-integration: {type: mock, body: keyed}
        /jwt:
          get:
            security: [{jwt: []}]
            x-portico-integration: {type: mock, body: jwt}
        /files/{proxy+}:
          x-amazon-apigateway-any-method:
            x-portico-integration: {type: mock, body: files}
      """;

  static final List<Function<Random, String>> GENERATORS =
      List.of(
          r -> post("/f/items/1?q=x", "application/json", brokenJson(r)),
          r ->
              post(
                  "/f/items/1?q=x",
                  "application/json",
                  "{\"name\":\"" + "x".repeat(r.nextInt(50)) + "\"}"),
          r -> post("/f/items/%zz?q=%", "application/json", "{}"),
          r -> post("/f/items/1", "text/plain", "hello"),
          r -> "GET /f/files/" + pct(r) + " HTTP/1.1\r\nhost: x\r\n\r\n",
          r -> "GET /f/keyed HTTP/1.1\r\nhost: x\r\nx-api-key: " + junk(r, 40) + "\r\n\r\n",
          r ->
              "GET /f/jwt HTTP/1.1\r\nhost: x\r\nauthorization: Bearer " + junk(r, 80) + "\r\n\r\n",
          r -> "GET /f/jwt HTTP/1.1\r\nhost: x\r\nauthorization: Bearer a.b.c\r\n\r\n",
          r ->
              "OPTIONS /f/items/1 HTTP/1.1\r\nhost: x\r\norigin: "
                  + junk(r, 20)
                  + "\r\naccess-control-request-method: "
                  + junk(r, 5)
                  + "\r\n\r\n",
          r -> "BREW /f/items/1 HTTP/1.1\r\nhost: x\r\n\r\n",
          r -> junk(r, 200) + "\r\n\r\n",
          r -> "GET " + "/f/" + "a".repeat(9_000) + " HTTP/1.1\r\nhost: x\r\n\r\n",
          r -> "GET /f/keyed HTTP/1.1\r\nhost: x\r\nx-h: " + "v".repeat(12_000) + "\r\n\r\n",
          r ->
              "POST /f/items/1?q=x HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"na",
          r ->
              "POST /f/items/1?q=x HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 7\r\n\r\nhello",
          r ->
              "POST /f/items/1?q=x HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nbad\r\n",
          r -> "GET /\u0000/x HTTP/1.1\r\nhost: x\r\n\r\n",
          r ->
              "GET /f/files/\u00ff\u00fe HTTP/1.1\r\nhost: x\r\n"
                  + junk(r, 10)
                  + ": "
                  + junk(r, 10)
                  + "\r\n\r\n",
          r -> "GET /nostage HTTP/1.1\r\nhost: x\r\n\r\n",
          r -> "GET / HTTP/1.1\r\nhost: x\r\n\r\n",
          r -> "GET //// HTTP/1.1\r\nhost: x\r\n\r\n",
          r -> "GET /f/items/1?" + "&".repeat(r.nextInt(100)) + "=%%%= HTTP/1.1\r\nhost: x\r\n\r\n",
          r -> "GET /f/files/a HTTP/9.9\r\nhost: x\r\n\r\n",
          r -> post("/f/items/1?q=x", "application/json; charset=\"", "{\"name\":\"\\ud800\"}"));

  static final int VERSION_GENERATOR = 22;

  static String post(String path, String type, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nhost: x\r\ncontent-type: "
        + type
        + "\r\ncontent-length: "
        + body.getBytes(StandardCharsets.ISO_8859_1).length
        + "\r\n\r\n"
        + body;
  }

  static String brokenJson(Random r) {
    String[] parts = {"{", "}", "[", "]", "\"", ":", ",", "name", "null", "1e999", "\\u00", "true"};
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(20); i > 0; i--) {
      b.append(parts[r.nextInt(parts.length)]);
    }
    return b.toString();
  }

  static String junk(Random r, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(max) + 1; i > 0; i--) {
      b.append((char) (0x21 + r.nextInt(0x7e - 0x21)));
    }
    return b.toString();
  }

  static String pct(Random r) {
    String[] parts = {"%", "%2", "%2F", "%00", "%ff", "..", "%2e%2e", "a", "+", "%zz", "/"};
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(8) + 1; i > 0; i--) {
      b.append(parts[r.nextInt(parts.length)]);
    }
    return b.toString();
  }

  /** Sends one request and returns its status, or 0 when the edge closed without answering. */
  static int send(int port, String request, boolean waitForAnswer) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (!waitForAnswer) {
        return 0;
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      try {
        while ((c = in.read()) != -1 && c != '\n') {
          line.write(c);
        }
      } catch (SocketTimeoutException | java.net.SocketException closed) {
        return 0;
      }
      String status = line.toString(StandardCharsets.ISO_8859_1);
      return status.startsWith("HTTP/") && status.length() >= 12
          ? Integer.parseInt(status.substring(9, 12))
          : 0;
    }
  }

  @Test
  void shouldAnswerTenThousandMalformedRequestsWithoutAServerErrorOrGrowingHeap(TestKafka kafka)
      throws Exception {
    try (Edge edge = new Edge(kafka, kafka.freshPrefix()).start()) {
      new Admin(edge).importApi("fuzz", API);
      new Admin(edge).deploy("fuzz", "f");
      int port = edge.service.dataPort();
      var memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();

      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      Map<Integer, String> serverErrors = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        pool.execute(
            () -> {
              Random random = new Random(n);
              String request = GENERATORS.get(n % GENERATORS.size()).apply(random);
              // Truncated bodies: the client gives up; nothing to wait for.
              boolean truncated = n % GENERATORS.size() == 13;
              try {
                int status = send(port, request, !truncated);
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                // HTTP/9.9 is answered 501 by Vert.x's codec: a refusal of the protocol, not a
                // fault of the edge.
                boolean unsupportedVersion = n % GENERATORS.size() == VERSION_GENERATOR;
                if (status >= 500 && !(unsupportedVersion && status == 501)) {
                  serverErrors.putIfAbsent(
                      status, request.substring(0, Math.min(200, request.length())));
                }
              } catch (Exception e) {
                statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
              }
            });
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES));
      assertTrue(serverErrors.isEmpty(), "5xx answers: " + serverErrors + " all: " + statuses);
      assertEquals(null, statuses.get(-1), "client errors: " + statuses);
      // Still serving, and the heap did not keep what it saw.
      assertEquals(
          201, send(port, post("/f/items/1?q=x", "application/json", "{\"name\":\"ok\"}"), true));
      System.gc();
      long growth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
      assertTrue(growth < 64L * 1024 * 1024, "heap grew by " + growth / 1024 / 1024 + " MB");
    }
  }
}
