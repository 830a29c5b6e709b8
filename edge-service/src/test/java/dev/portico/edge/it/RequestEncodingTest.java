package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.Json;
import dev.portico.contracts.ProtocolHeaders;
import dev.portico.edge.http.GatewayHandler;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Percent-escapes in every part of a request, on every kind of route: a query string that cannot be
 * decoded is the client's error (400 naming the parameter) before any integration runs; a broken
 * path is 400 too; header values are never percent-decoded, so they pass as sent.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class RequestEncodingTest {
  Edge edge;
  TestFunction function;
  final Vertx backendVertx = Vertx.vertx();
  final AtomicInteger backendHits = new AtomicInteger();
  HttpServer backend;
  final ListAppender<ILoggingEvent> errors = new ListAppender<>();
  final ListAppender<ILoggingEvent> access = new ListAppender<>();

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(
              List.of(new org.apache.kafka.clients.admin.NewTopic(prefix + "fn.enc", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    function =
        new TestFunction(
            kafka.bootstrapServers(),
            List.of(prefix + "fn.enc"),
            r -> "{\"statusCode\":200,\"body\":\"fn\"}".getBytes(StandardCharsets.UTF_8));
    backend =
        backendVertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  backendHits.incrementAndGet();
                  req.response().end(req.uri());
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    edge = new Edge(kafka, prefix).start();
    Admin admin = new Admin(edge);
    admin.importApi(
        "enc",
        """
        openapi: 3.0.3
        info: {title: enc}
        paths:
          /fn/{id}:
            get:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.enc", key: "$request.header.x-key"}
          /validated:
            get:
              x-portico-validate: true
              parameters: [{name: limit, in: query, required: true, schema: {type: string}}]
              x-portico-integration: {type: mock, body: validated}
          /cached:
            get:
              x-portico-cache: {keyParameters: [querystring.limit]}
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.enc"}
          /mock/{id}:
            get:
              x-portico-integration: {type: mock, body: mock}
          /proxy/{id}:
            get:
              x-portico-integration: {type: http, uri: "http://127.0.0.1:%d/echo/{id}"}
        x-portico-websocket:
          routes:
            $connect:
              x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.enc"}
        """
            .formatted(backend.actualPort()));
    admin.deploy("enc", "enc");
    admin.call(
        200,
        "PUT",
        "/stages/enc/settings",
        "{\"cache\":{\"sizeBytes\":100000,\"ttlSeconds\":300},"
            + "\"methodSettings\":{\"GET /cached\":{\"cachingEnabled\":true}}}");
    errors.start();
    ((Logger) LoggerFactory.getLogger(GatewayHandler.class)).addAppender(errors);
    access.start();
    Logger accessLogger = (Logger) LoggerFactory.getLogger("portico.access");
    accessLogger.setLevel(Level.INFO);
    accessLogger.addAppender(access);
  }

  @AfterAll
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(GatewayHandler.class)).detachAppender(errors);
    ((Logger) LoggerFactory.getLogger("portico.access")).detachAppender(access);
    edge.close();
    function.close();
    backendVertx.close().await(10, TimeUnit.SECONDS);
  }

  RawHttp.Response get(String target, String... headerLines) throws Exception {
    StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nhost: x\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return RawHttp.exchange(edge.service.dataPort(), request.append("\r\n").toString());
  }

  @Test
  void shouldRefuseABrokenQueryStringOnEveryKindOfRouteNamingTheParameter() throws Exception {
    int hits = backendHits.get();
    for (String path :
        List.of("/enc/fn/1", "/enc/validated", "/enc/cached", "/enc/mock/1", "/enc/proxy/1")) {
      RawHttp.Response r = get(path + "?a=1&limit=%zz");
      assertEquals(400, r.status(), path + ": " + r);
      assertEquals(
          "{\"message\":\"Invalid query string encoding in parameter 'limit'\"}", r.body(), path);
      assertEquals("BadRequestException", r.header("x-portico-error-type"), path);
      assertTrue(r.header("x-portico-request-id") != null, path);
    }
    assertEquals(hits, backendHits.get(), "the http backend was called");
    // Cut-off escapes, and a broken name.
    assertEquals(
        "{\"message\":\"Invalid query string encoding in parameter 'limit'\"}",
        get("/enc/fn/1?limit=%4").body());
    assertEquals(
        "{\"message\":\"Invalid query string encoding in parameter 'li%mit'\"}",
        get("/enc/mock/1?li%mit=1").body());
    assertTrue(errors.list.stream().noneMatch(e -> e.getLevel() == Level.ERROR), "stack traces");
  }

  @Test
  void shouldCountABrokenQueryAsAClientError() throws Exception {
    String requestId = get("/enc/mock/7?limit=%%").header("x-portico-request-id");
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> IntegrationsTest.find(access, requestId) != null);
    Map<String, Object> line = IntegrationsTest.find(access, requestId);
    assertEquals(400, line.get("status"));
    assertEquals("BadRequestException", line.get("errorType"));
    assertEquals("enc", line.get("stage"));
    String metrics =
        Edge.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + edge.service.opsPort() + "/metrics"))
                    .build())
            .body();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("portico_edge_requests_seconds_count")
                        && l.contains("stage=\"enc\"")
                        && l.contains("status=\"400\"")),
        "no 400 in the request metrics");
  }

  @Test
  void shouldRefuseABrokenPathOnEveryKindOfRoute() throws Exception {
    for (String path : List.of("/enc/fn/%zz", "/enc/mock/a%2", "/enc/proxy/%")) {
      RawHttp.Response r = get(path);
      assertEquals(400, r.status(), path + ": " + r);
      assertEquals("{\"message\":\"Invalid path encoding\"}", r.body(), path);
      assertTrue(r.header("x-portico-request-id") != null, path);
    }
  }

  @Test
  void shouldRefuseAWebSocketUpgradeWithABrokenQuery() throws Exception {
    RawHttp.Response r =
        get(
            "/enc?token=%zz",
            "upgrade: websocket",
            "connection: Upgrade",
            "sec-websocket-version: 13",
            "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==");
    assertEquals(400, r.status(), r.toString());
    assertEquals("{\"message\":\"Invalid query string encoding in parameter 'token'\"}", r.body());
  }

  /** Well-formed escapes decode; header values are passed as sent, escapes and all. */
  @Test
  void shouldDecodeGoodEscapesAndLeaveHeaderValuesAlone() throws Exception {
    RawHttp.Response r = get("/enc/fn/a%20b?limit=%41+%2B", "x-key: %zz");
    assertEquals(200, r.status(), r.toString());
    String requestId = r.header("x-portico-request-id");
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> seen(requestId) != null);
    var record = seen(requestId);
    assertEquals("%zz", record.key());
    FunctionRequest event = Json.fromBytes(record.value(), FunctionRequest.class);
    assertEquals("A +", event.queryStringParameters().get("limit"));
    assertEquals("a b", event.pathParameters().get("id"));
    assertEquals("%zz", event.headers().get("x-key"));
    assertEquals("/echo/a%20b?limit=%41+%2B", get("/enc/proxy/a%20b?limit=%41+%2B").body());
  }

  org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> seen(String requestId) {
    return function.seen.stream()
        .filter(
            r -> requestId.equals(ProtocolHeaders.get(r.headers(), ProtocolHeaders.CORRELATION_ID)))
        .findFirst()
        .orElse(null);
  }
}
