package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.RefusingPort;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every integration type through a real edge: http proxy, kafka sync and async, mock. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class IntegrationsTest {
  Edge edge;
  Admin admin;
  Vertx backendVertx = Vertx.vertx();
  HttpServer backend;
  RefusingPort refusingPort;
  String prefix;
  TestFunction function;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    prefix = kafka.freshPrefix();
    backend =
        backendVertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  if (req.path().startsWith("/slow")) {
                    backendVertx.setTimer(3_000, id -> req.response().end("late"));
                    return;
                  }
                  req.body()
                      .onSuccess(
                          body -> {
                            Map<String, Object> echo = new java.util.TreeMap<>();
                            echo.put("method", req.method().name());
                            echo.put("uri", req.uri());
                            req.headers()
                                .forEach(
                                    h -> echo.put("h:" + h.getKey().toLowerCase(), h.getValue()));
                            echo.put("bodyBytes", body.length());
                            echo.put("bodySha", sha(body.getBytes()));
                            req.response()
                                .putHeader("content-type", "application/json")
                                .putHeader("x-backend", "yes")
                                .putHeader("connection", "keep-alive, x-secret")
                                .putHeader("x-secret", "hop")
                                .setStatusCode(req.path().endsWith("/teapot") ? 418 : 200)
                                .end(Json.toString(echo));
                          });
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    // Functions own their topics; the edge never creates them.
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(
              java.util.stream.Stream.concat(
                      java.util.stream.Stream.of("fn.ok", "fn.garbage", "fn.badstatus", "fn.silent")
                          .map(
                              t ->
                                  new org.apache.kafka.clients.admin.NewTopic(
                                      prefix + t, 2, (short) 1)),
                      // A function's topic that takes smaller records than the edge may send.
                      java.util.stream.Stream.of(
                          new org.apache.kafka.clients.admin.NewTopic(
                                  prefix + "fn.small", 1, (short) 1)
                              .configs(Map.of("max.message.bytes", "20000"))))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    refusingPort = new RefusingPort();
    function =
        new TestFunction(
            kafka.bootstrapServers(),
            List.of(
                prefix + "fn.ok",
                prefix + "fn.garbage",
                prefix + "fn.badstatus",
                prefix + "fn.small"),
            record ->
                switch (record.topic().substring(prefix.length())) {
                  case "fn.ok", "fn.small" ->
                      "{\"statusCode\":200,\"body\":\"from function\",\"headers\":{\"x-fn\":\"1\"}}"
                          .getBytes(StandardCharsets.UTF_8);
                  case "fn.badstatus" -> "{\"statusCode\":42}".getBytes(StandardCharsets.UTF_8);
                  default -> "not json".getBytes(StandardCharsets.UTF_8);
                });
    edge = new Edge(kafka, prefix).start();
    admin = new Admin(edge);
    int port = backend.actualPort();
    admin.importApi(
        "integrations",
        """
        openapi: 3.0.3
        info: {title: integrations}
        paths:
          /proxy/{proxy+}:
            x-amazon-apigateway-any-method:
              x-portico-integration: {type: http, uri: "http://127.0.0.1:%d/echo/{proxy}", timeoutMs: 10000}
          /slow:
            get:
              x-portico-integration: {type: http, uri: "http://127.0.0.1:%d/slow", timeoutMs: 300}
          /down:
            get:
              x-portico-integration: {type: http, uri: "http://127.0.0.1:%d/", timeoutMs: 2000}
          /fn/ok:
            get:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.ok", timeoutMs: 5000}
          /fn/garbage:
            get:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.garbage", timeoutMs: 5000}
          /fn/badstatus:
            get:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.badstatus", timeoutMs: 5000}
          /fn/silent:
            get:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.silent", timeoutMs: 300}
          /fn/big:
            post:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.ok", timeoutMs: 5000}
          /fn/small:
            post:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.small", timeoutMs: 5000}
          /fn/async/{id}:
            post:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.ok", mode: async, key: "$request.path.id"}
          /mock:
            get:
              x-portico-integration: {type: mock, statusCode: 201, headers: {x-mock: "m"}, body: "hello ${stageVariables.who}"}
        """
            .formatted(port, port, refusingPort.port()));
    admin.deploy("integrations", "it");
    admin.call(200, "PATCH", "/stages/it", "{\"variables\":{\"who\":\"tests\"}}");
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    function.close();
    backendVertx.close().await(10, TimeUnit.SECONDS);
    refusingPort.close();
  }

  static String sha(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldProxyWithPathQueryAndForwardedHeadersAndDropHopByHopOnes() {
    HttpResponse<String> response =
        edge.request(
            "GET",
            "/it/proxy/a/b%20c/d.txt?x=1&y=2",
            null,
            "x-client",
            "kept",
            "x-forwarded-for",
            "10.0.0.9");
    assertEquals(200, response.statusCode(), response.body());
    var echo = Admin.json(response);
    assertEquals("/echo/a/b%20c/d.txt?x=1&y=2", echo.get("uri").asText());
    assertEquals("kept", echo.get("h:x-client").asText());
    assertEquals("10.0.0.9, 127.0.0.1", echo.get("h:x-forwarded-for").asText());
    assertEquals("http", echo.get("h:x-forwarded-proto").asText());
    assertEquals("127.0.0.1", echo.get("h:x-forwarded-host").asText());
    assertEquals(
        Integer.toString(edge.service.dataPort()), echo.get("h:x-forwarded-port").asText());
    assertEquals(
        response.headers().firstValue("x-portico-request-id").orElseThrow(),
        echo.get("h:x-portico-request-id").asText());
    assertEquals("yes", response.headers().firstValue("x-backend").orElse(null));
    assertTrue(response.headers().firstValue("x-secret").isEmpty(), "named in Connection");
  }

  @Test
  void shouldStreamALargeBodyBothWaysAndPassBackendStatuses() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024];
    new java.util.Random(7).nextBytes(big);
    HttpResponse<String> response =
        Edge.send(
            HttpRequest.newBuilder(edge.data("/it/proxy/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build());
    assertEquals(200, response.statusCode());
    var echo = Admin.json(response);
    assertEquals(big.length, echo.get("bodyBytes").asInt());
    assertEquals(sha(big), echo.get("bodySha").asText());
    assertEquals("POST", echo.get("method").asText());
    assertEquals(418, edge.get("/it/proxy/teapot").statusCode());
  }

  @Test
  void shouldCutOffBodiesOverTenMegabytesWithOrWithoutAContentLength() {
    byte[] tooBig = new byte[10 * 1024 * 1024 + 1];
    HttpResponse<String> declared =
        Edge.send(
            HttpRequest.newBuilder(edge.data("/it/proxy/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(tooBig))
                .build());
    assertEquals(413, declared.statusCode());
    HttpResponse<String> chunked =
        Edge.send(
            HttpRequest.newBuilder(edge.data("/it/proxy/upload"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(tooBig)))
                .build());
    assertEquals(413, chunked.statusCode(), chunked.body());
    assertEquals("{\"message\":\"Request Too Long\"}", chunked.body());
    // Exactly the limit passes.
    HttpResponse<String> atLimit =
        Edge.send(
            HttpRequest.newBuilder(edge.data("/it/proxy/upload"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(tooBig, 0, tooBig.length - 1)))
                .build());
    assertEquals(200, atLimit.statusCode());
    assertEquals(tooBig.length - 1, Admin.json(atLimit).get("bodyBytes").asInt());
  }

  @Test
  void shouldLogWhichIntegrationTimedOutAndHowLongItWaited() {
    var logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("portico.access");
    var appender =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    var level = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.addAppender(appender);
    try {
      String requestId =
          edge.get("/it/slow").headers().firstValue("x-portico-request-id").orElseThrow();
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> find(appender, requestId) != null);
      Map<String, Object> line = find(appender, requestId);
      assertEquals(504, line.get("status"));
      assertEquals("IntegrationTimeout", line.get("errorType"));
      assertEquals("http", line.get("integrationType"));
      assertTrue(String.valueOf(line.get("integrationTarget")).endsWith("/slow"));
      assertTrue(
          String.valueOf(line.get("errorDetail")).matches(".*/slow: .*; waited \\d+ ms"),
          line.toString());
      assertEquals(false, line.get("canary"));
      assertEquals("it", line.get("stage"));
      assertEquals("GET /slow", line.get("routeKey"));
      assertTrue(line.get("deploymentId") != null);
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(level);
    }
  }

  static Map<String, Object> find(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender,
      String requestId) {
    for (var event : List.copyOf(appender.list)) {
      Map<String, Object> kv = new java.util.HashMap<>();
      event.getKeyValuePairs().forEach(p -> kv.put(p.key, p.value));
      if (requestId.equals(kv.get("requestId"))) {
        return kv;
      }
    }
    return null;
  }

  @Test
  void shouldAnswer504ForASlowBackendWithinTheRouteTimeout() {
    long start = System.nanoTime();
    HttpResponse<String> response = edge.get("/it/slow");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(504, response.statusCode());
    assertEquals("{\"message\":\"Endpoint request timed out\"}", response.body());
    assertEquals(
        "IntegrationTimeout", response.headers().firstValue("x-portico-error-type").orElse(null));
    assertTrue(ms >= 290 && ms < 2_500, "answered after " + ms + " ms");
  }

  @Test
  void shouldAnswer502WhenTheBackendIsDown() {
    HttpResponse<String> response = edge.get("/it/down");
    assertEquals(502, response.statusCode(), response.body());
    assertEquals(
        "Bad Gateway: the backend could not be reached",
        Admin.json(response).get("message").asText());
  }

  @Test
  void shouldRelayAFunctionResponse() {
    HttpResponse<String> response = edge.get("/it/fn/ok");
    assertEquals(200, response.statusCode());
    assertEquals("from function", response.body());
    assertEquals("1", response.headers().firstValue("x-fn").orElse(null));
  }

  @Test
  void shouldAnswer502ForMalformedFunctionResponses() {
    for (String path : List.of("/it/fn/garbage", "/it/fn/badstatus")) {
      HttpResponse<String> response = edge.get(path);
      assertEquals(502, response.statusCode(), path);
      assertEquals("{\"message\":\"Internal server error\"}", response.body());
    }
  }

  @Test
  void shouldAnswer504WhenTheFunctionNeverAnswers() {
    HttpResponse<String> response = edge.get("/it/fn/silent");
    assertEquals(504, response.statusCode());
  }

  @Test
  void shouldCountAndDropRepliesNobodyWaitsFor(TestKafka kafka) throws Exception {
    double before = lateReplies();
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      var late =
          new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(
              prefix + "edge.replies",
              0,
              null,
              "{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
      ProtocolHeaders.put(late.headers(), ProtocolHeaders.CORRELATION_ID, "timed-out-long-ago");
      producer.send(late).get(10, TimeUnit.SECONDS);
    }
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> lateReplies() == before + 1);
    assertEquals(200, edge.get("/it/fn/ok").statusCode(), "the edge keeps serving");
  }

  double lateReplies() {
    String metrics =
        Edge.send(
                HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + edge.service.opsPort() + "/metrics"))
                    .build())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("portico_edge_late_replies_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void shouldAcceptAsyncRequestsOnceKafkaHasThem() {
    HttpResponse<String> response = edge.request("POST", "/it/fn/async/item-7", "{\"a\":1}");
    assertEquals(202, response.statusCode(), response.body());
    String requestId = Admin.json(response).get("requestId").asText();
    assertEquals(requestId, response.headers().firstValue("x-portico-request-id").orElse(null));
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                function.seen.stream()
                    .anyMatch(
                        r ->
                            requestId.equals(
                                ProtocolHeaders.get(r.headers(), ProtocolHeaders.CORRELATION_ID))));
    var record =
        function.seen.stream()
            .filter(
                r ->
                    requestId.equals(
                        ProtocolHeaders.get(r.headers(), ProtocolHeaders.CORRELATION_ID)))
            .findFirst()
            .orElseThrow();
    assertEquals("item-7", record.key());
    assertNull(ProtocolHeaders.get(record.headers(), ProtocolHeaders.REPLY_TOPIC));
    assertTrue(
        new String(record.value(), StandardCharsets.UTF_8).contains("\"body\":\"{\\\"a\\\":1}\""));
  }

  /**
   * A kafka route's body must fit in one record with its request event (1 MiB by default): a body
   * declared larger is refused before the edge reads it.
   */
  @Test
  void shouldRefuseADeclaredBodyThatCannotFitInARecordBeforeReadingIt() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", edge.service.dataPort())) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              ("POST /it/fn/big HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                      + "content-length: 2097152\r\n\r\n{\"a\":\"")
                  .getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response response = RawHttp.read(socket.getInputStream(), false);
      assertEquals(413, response.status(), response.toString());
      assertEquals("{\"message\":\"Request Too Long\"}", response.body());
      assertEquals("RequestTooLargeException", response.header("x-portico-error-type"));
    }
  }

  /**
   * The request event is the body plus its envelope, and JSON escapes some characters: what must
   * fit is the record, checked before it is sent (sync and async).
   */
  @Test
  void shouldRefuseARequestEventOverTheRecordLimitAndSendNothing() {
    String quotes = "\"".repeat(700_000); // 1.4 MB once escaped in the event's JSON
    HttpResponse<String> sync = edge.request("POST", "/it/fn/big", quotes);
    assertEquals(413, sync.statusCode(), sync.body());
    assertEquals("{\"message\":\"Request Too Long\"}", sync.body());
    HttpResponse<String> async = edge.request("POST", "/it/fn/async/q", quotes);
    assertEquals(413, async.statusCode(), async.body());
    HttpResponse<String> fits = edge.request("POST", "/it/fn/big", "a".repeat(900_000));
    assertEquals(200, fits.statusCode(), fits.body());
    assertEquals("from function", fits.body());
    List<String> refused =
        List.of(
            sync.headers().firstValue("x-portico-request-id").orElseThrow(),
            async.headers().firstValue("x-portico-request-id").orElseThrow());
    assertTrue(
        function.seen.stream()
            .noneMatch(
                r ->
                    refused.contains(
                        ProtocolHeaders.get(r.headers(), ProtocolHeaders.CORRELATION_ID))),
        "a refused request event reached the function");
  }

  /** A function's topic may take less than the edge sends: the broker's refusal is a 413 too. */
  @Test
  void shouldAnswer413WhenTheFunctionsTopicTakesSmallerRecords() {
    HttpResponse<String> tooBig = edge.request("POST", "/it/fn/small", "a".repeat(30_000));
    assertEquals(413, tooBig.statusCode(), tooBig.body());
    assertEquals("{\"message\":\"Request Too Long\"}", tooBig.body());
    assertEquals(200, edge.request("POST", "/it/fn/small", "a".repeat(1_000)).statusCode());
  }

  @Test
  void shouldAnswerMocksWithStageVariables() {
    HttpResponse<String> response = edge.get("/it/mock");
    assertEquals(201, response.statusCode());
    assertEquals("hello tests", response.body());
    assertEquals("m", response.headers().firstValue("x-mock").orElse(null));
    assertFalse(response.headers().firstValue("x-portico-canary").isPresent());
  }

  @Test
  void shouldUseTheRoutingErrorsOfTheSpec() {
    HttpResponse<String> noRoute = edge.get("/it/nothing/here");
    assertEquals(403, noRoute.statusCode());
    assertEquals("{\"message\":\"Missing Authentication Token\"}", noRoute.body());
    HttpResponse<String> noStage = edge.get("/nostage/mock");
    assertEquals(404, noStage.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", noStage.body());
    assertTrue(noStage.headers().firstValue("x-portico-request-id").isPresent());
  }
}
