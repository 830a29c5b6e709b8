package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * 10,000 malformed requests against a running edge with {@code kafka}, {@code http} and {@code
 * mock} routes: broken JSON, broken percent-escapes in the path, the query string and header
 * values, odd and huge headers, requests past the codec's caps, fixed-length and chunked bodies
 * under and over the limits on every integration, truncated bodies, wrong methods, garbage request
 * lines. The edge must answer none of them with a 5xx of its own, answer every one with its request
 * id and every error with a JSON message, keep serving, and keep its heap bounded.
 */
@ExtendWith(KafkaExtension.class)
@Tag("integration")
class BadInputFuzzTest {
  /** The record limit of this edge, so that bodies over it stay cheap to send. */
  static final int MAX_RECORD_BYTES = 65_536;

  static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

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
        /fn/{id}:
          x-amazon-apigateway-any-method:
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.fuzz", key: "$request.querystring.k"}
        /keyed-fn:
          post:
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.fuzz", key: "$request.header.x-k", mode: async}
        /cached:
          get:
            x-portico-cache: {keyParameters: [querystring.k, header.x-k]}
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.fuzz"}
        /proxy/{proxy+}:
          x-amazon-apigateway-any-method:
            x-portico-integration: {type: http, uri: "http://127.0.0.1:%d/{proxy}"}
      """;

  /** What a case expects of the exchange beyond the common rules. */
  enum Expect {
    /** An answer, judged by the common rules. */
    ANSWER,
    /** The client gives up before its request is complete: nothing to wait for. */
    NO_ANSWER,
    /**
     * HTTP/9.9: Vert.x's codec answers 501 without a body before the gateway sees the request (see
     * docs/gateway.md, Limits).
     */
    PROTOCOL_REFUSAL
  }

  /**
   * One request: {@code text} (ISO-8859-1), then {@code mebibyteChunks} chunks of 1 MiB and the
   * last chunk when a chunked body too large to build as text follows.
   */
  record Raw(String text, int mebibyteChunks) {
    Raw(String text) {
      this(text, 0);
    }
  }

  record Case(String name, Expect expect, Function<Random, Raw> request) {}

  static Case answer(String name, Function<Random, String> request) {
    return new Case(name, Expect.ANSWER, r -> new Raw(request.apply(r)));
  }

  static final List<Case> CASES =
      List.of(
          answer("broken JSON", r -> post("/f/items/1?q=x", "application/json", brokenJson(r))),
          answer(
              "schema",
              r ->
                  post(
                      "/f/items/1?q=x",
                      "application/json",
                      "{\"name\":\"" + "x".repeat(r.nextInt(50)) + "\"}")),
          answer("escapes, validated", r -> post("/f/items/%zz?q=%", "application/json", "{}")),
          answer("media type", r -> post("/f/items/1", "text/plain", "hello")),
          answer("path escapes, mock", r -> get("/f/files/" + pct(r))),
          answer("path escapes, kafka", r -> get("/f/fn/" + pct(r) + "?k=1")),
          answer("path escapes, http", r -> get("/f/proxy/" + pct(r))),
          answer("query escapes, kafka", r -> get("/f/fn/1?k=" + pct(r) + "&" + pct(r) + "=1")),
          answer("query escapes, cache key", r -> get("/f/cached?k=" + pct(r))),
          answer("query escapes, http", r -> get("/f/proxy/a?" + pct(r) + "=" + pct(r))),
          answer("query escapes, mock", r -> get("/f/files/a?x=" + pct(r))),
          answer(
              "query escapes, validated",
              r -> post("/f/items/1?q=" + pct(r), "application/json", "{\"name\":\"a\"}")),
          answer(
              "header escapes, record key",
              r -> post("/f/keyed-fn", "application/json", "{}", "x-k: " + pct(r))),
          answer("header escapes, cache key", r -> get("/f/cached?k=1", "x-k: " + pct(r))),
          answer("header escapes, api key", r -> get("/f/keyed", "x-api-key: " + pct(r))),
          answer("header escapes, token", r -> get("/f/jwt", "authorization: Bearer " + pct(r))),
          answer("header escapes, forwarded", r -> get("/f/proxy/a", "x-forwarded-for: " + pct(r))),
          answer("junk api key", r -> get("/f/keyed", "x-api-key: " + junk(r, 40))),
          answer("junk token", r -> get("/f/jwt", "authorization: Bearer " + junk(r, 80))),
          answer("bad token", r -> get("/f/jwt", "authorization: Bearer a.b.c")),
          answer(
              "preflight",
              r ->
                  "OPTIONS /f/items/1 HTTP/1.1\r\nhost: x\r\norigin: "
                      + junk(r, 20)
                      + "\r\naccess-control-request-method: "
                      + junk(r, 5)
                      + "\r\n\r\n"),
          answer("unknown method", r -> "BREW /f/items/1 HTTP/1.1\r\nhost: x\r\n\r\n"),
          answer("garbage", r -> junk(r, 200) + "\r\n\r\n"),
          answer("URL over the limit", r -> get("/f/" + "a".repeat(9_000))),
          answer("URL past the codec", r -> get("/f/fn/1?k=" + "a".repeat(40_000))),
          answer("header over the limit", r -> get("/f/keyed", "x-h: " + "v".repeat(12_000))),
          answer(
              "header block past the codec",
              r -> get("/f/proxy/a", ("x-h: " + "v".repeat(1_000) + "\r\n").repeat(59) + "x: y")),
          new Case(
              "truncated body",
              Expect.NO_ANSWER,
              r ->
                  new Raw(
                      "POST /f/items/1?q=x HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                          + "content-length: 100\r\n\r\n{\"na")),
          answer(
              "two lengths",
              r ->
                  "POST /f/items/1?q=x HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n"
                      + "content-length: 7\r\n\r\nhello"),
          answer(
              "bad chunk",
              r ->
                  "POST /f/items/1?q=x HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n"
                      + "zz\r\nbad\r\n"),
          answer("NUL in path", r -> "GET /\u0000/x HTTP/1.1\r\nhost: x\r\n\r\n"),
          answer(
              "Latin-1 path, junk header",
              r ->
                  "GET /f/files/\u00ff\u00fe HTTP/1.1\r\nhost: x\r\n"
                      + junk(r, 10)
                      + ": "
                      + junk(r, 10)
                      + "\r\n\r\n"),
          answer("no stage", r -> get("/nostage")),
          answer("root", r -> get("/")),
          answer("slashes", r -> get("////")),
          answer("ampersands", r -> get("/f/items/1?" + "&".repeat(r.nextInt(100)) + "=%%%=")),
          new Case(
              "HTTP/9.9",
              Expect.PROTOCOL_REFUSAL,
              r -> new Raw("GET /f/files/a HTTP/9.9\r\nhost: x\r\n\r\n")),
          answer(
              "bad charset",
              r ->
                  post("/f/items/1?q=x", "application/json; charset=\"", "{\"name\":\"\\ud800\"}")),
          // Bodies on every integration: fixed-length and chunked, under and over the limits.
          answer("fixed body, kafka", r -> post("/f/fn/1", "text/plain", body(r, 100_000))),
          answer("chunked body, kafka", r -> chunked("/f/fn/1", body(r, 100_000), r)),
          answer(
              "escaped body, kafka",
              r -> post("/f/fn/1", "text/plain", "\"".repeat(25_000 + r.nextInt(15_000)))),
          answer("fixed body, http", r -> post("/f/proxy/up", "text/plain", body(r, 200_000))),
          answer("chunked body, http", r -> chunked("/f/proxy/up", body(r, 200_000), r)),
          answer("chunked body, mock", r -> chunked("/f/files/up", body(r, 200_000), r)),
          answer("declared over 10 MiB, mock", r -> declared("/f/files/up", MAX_BODY_BYTES + 1)),
          answer("declared over 10 MiB, http", r -> declared("/f/proxy/up", MAX_BODY_BYTES + 1)),
          answer("declared over the record, kafka", r -> declared("/f/fn/1", 2 * 1024 * 1024)),
          new Case("chunked over 10 MiB, mock", Expect.ANSWER, r -> hugeChunked("/f/files/up", r)),
          new Case("chunked over 10 MiB, http", Expect.ANSWER, r -> hugeChunked("/f/proxy/up", r)));

  static String get(String target, String... headerLines) {
    StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nhost: x\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  static String post(String path, String type, String body, String... headerLines) {
    StringBuilder request =
        new StringBuilder(
            "POST " + path + " HTTP/1.1\r\nhost: x\r\ncontent-type: " + type + "\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request
        .append("content-length: ")
        .append(body.getBytes(StandardCharsets.ISO_8859_1).length)
        .append("\r\n\r\n")
        .append(body)
        .toString();
  }

  /** {@code body} in chunks of random sizes. */
  static String chunked(String path, String body, Random r) {
    StringBuilder request =
        new StringBuilder(
            "POST " + path + " HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n");
    for (int at = 0; at < body.length(); ) {
      int size = Math.min(body.length() - at, 1 + r.nextInt(32_768));
      request
          .append(Integer.toHexString(size))
          .append("\r\n")
          .append(body, at, at + size)
          .append("\r\n");
      at += size;
    }
    return request.append("0\r\n\r\n").toString();
  }

  /** A body declared larger than a limit, of which nothing is sent: the edge answers at once. */
  static String declared(String path, long length) {
    return "POST " + path + " HTTP/1.1\r\nhost: x\r\ncontent-length: " + length + "\r\n\r\n";
  }

  /**
   * Now and then a chunked body one byte over 10 MiB (sent in full: the edge counts it as it
   * streams), otherwise a small one, to keep the run short.
   */
  static Raw hugeChunked(String path, Random r) {
    if (r.nextInt(25) != 0) {
      return new Raw(chunked(path, body(r, 1_000), r));
    }
    return new Raw(
        "POST " + path + " HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n",
        10);
  }

  static String body(Random r, int max) {
    char[] body = new char[r.nextInt(max)];
    Arrays.fill(body, (char) ('a' + r.nextInt(26)));
    return new String(body);
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

  /** Percent-escapes good and broken, and characters that decode to something odd. */
  static String pct(Random r) {
    String[] parts = {
      "%", "%2", "%2F", "%00", "%ff", "..", "%2e%2e", "a", "+", "%zz", "/", "%%", "%e2%82", "%C3%A9"
    };
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(8) + 1; i > 0; i--) {
      b.append(parts[r.nextInt(parts.length)]);
    }
    return b.toString();
  }

  /** Sends one request; returns the answer, or {@code null} when the edge closed without one. */
  static RawHttp.Response send(int port, Raw raw, boolean waitForAnswer) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.text().getBytes(StandardCharsets.ISO_8859_1));
      if (raw.mebibyteChunks() > 0) {
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < raw.mebibyteChunks(); i++) {
          out.write("100000\r\n".getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      if (!waitForAnswer) {
        return null;
      }
      try {
        return RawHttp.read(socket.getInputStream(), false);
      } catch (IOException closedWithoutAnswer) {
        return null;
      }
    }
  }

  /** What is wrong with an answer by the common rules, or {@code null}. */
  static String fault(RawHttp.Response answer) {
    if (answer.status() >= 500) {
      return "a 5xx";
    }
    if (answer.header("x-portico-request-id") == null) {
      return "no request id";
    }
    if (answer.status() >= 400) {
      try {
        JsonNode body = Json.MAPPER.readTree(answer.body());
        if (body == null || !body.path("message").isTextual()) {
          return "no JSON message";
        }
      } catch (IOException notJson) {
        return "a body that is not JSON";
      }
    }
    return null;
  }

  @Test
  void shouldAnswerTenThousandMalformedRequestsWithoutAServerErrorOrGrowingHeap(TestKafka kafka)
      throws Exception {
    String prefix = kafka.freshPrefix();
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(prefix + "fn.fuzz", 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Vertx backendVertx = Vertx.vertx();
    HttpServer backend =
        backendVertx
            .createHttpServer()
            .requestHandler(req -> req.body().onComplete(b -> req.response().end("{}")))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    try (TestFunction function =
            new TestFunction(
                kafka.bootstrapServers(),
                List.of(prefix + "fn.fuzz"),
                r -> "{\"statusCode\":200,\"body\":\"fn\"}".getBytes(StandardCharsets.UTF_8));
        Edge edge =
            new Edge(kafka, prefix)
                .with("PORTICO_KAFKA_MAX_MESSAGE_BYTES", Integer.toString(MAX_RECORD_BYTES))
                .start()) {
      Admin admin = new Admin(edge);
      admin.importApi("fuzz", API.formatted(backend.actualPort()));
      admin.deploy("fuzz", "f");
      admin.call(
          200,
          "PUT",
          "/stages/f/settings",
          "{\"cache\":{\"sizeBytes\":100000,\"ttlSeconds\":300},"
              + "\"methodSettings\":{\"GET /cached\":{\"cachingEnabled\":true}}}");
      int port = edge.service.dataPort();
      var memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();

      Map<String, Map<Integer, AtomicInteger>> statuses = new ConcurrentHashMap<>();
      Map<String, String> faults = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        pool.execute(
            () -> {
              Case c = CASES.get(n % CASES.size());
              Raw raw = c.request().apply(new Random(n));
              try {
                RawHttp.Response answer = send(port, raw, c.expect() != Expect.NO_ANSWER);
                int status = answer == null ? 0 : answer.status();
                statuses
                    .computeIfAbsent(c.name(), k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(status, s -> new AtomicInteger())
                    .incrementAndGet();
                String fault =
                    answer == null
                        ? null
                        : c.expect() == Expect.PROTOCOL_REFUSAL
                            ? (status == 501 ? null : "not the codec's 501")
                            : fault(answer);
                if (fault != null) {
                  faults.putIfAbsent(
                      c.name() + ": " + fault,
                      answer
                          + " for "
                          + raw.text().substring(0, Math.min(200, raw.text().length())));
                }
              } catch (Exception e) {
                faults.putIfAbsent(c.name() + ": client error", e.toString());
              }
            });
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES));
      assertTrue(faults.isEmpty(), "faults: " + faults + "\nall: " + statuses);
      // Each kind of route answered (not every request closed unanswered).
      for (String name :
          List.of(
              "fixed body, kafka",
              "chunked body, http",
              "chunked body, mock",
              "URL past the codec")) {
        assertTrue(
            statuses.get(name).keySet().stream().anyMatch(s -> s > 0), name + ": " + statuses);
      }
      assertEquals(
          java.util.Set.of(413),
          statuses.get("declared over the record, kafka").keySet(),
          "a body that cannot fit in a record");
      // Still serving, and the heap did not keep what it saw.
      assertEquals(
          201,
          send(port, new Raw(post("/f/items/1?q=x", "application/json", "{\"name\":\"ok\"}")), true)
              .status());
      System.gc();
      long growth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
      assertTrue(growth < 64L * 1024 * 1024, "heap grew by " + growth / 1024 / 1024 + " MB");
    } finally {
      backendVertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
