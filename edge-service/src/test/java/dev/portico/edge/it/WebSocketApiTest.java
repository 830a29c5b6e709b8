package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portico.contracts.Json;
import dev.portico.edge.websocket.WebSocketMetrics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket APIs at the edge with real clients: route selection, $connect authorization and
 * verdicts, the kafka integration's CONNECT / MESSAGE / DISCONNECT events and route responses, the
 * 128 KB message limit and the idle timeout.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class WebSocketApiTest {
  static final String SECRET = "a-shared-secret-of-at-least-32-characters!";

  static final String LIVE =
      """
      openapi: 3.0.3
      info: {title: live}
      paths: {}
      x-portico-websocket:
        routes:
          $connect:
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.ws", mode: async}
          $disconnect:
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.ws"}
          $default:
            x-portico-integration: {type: mock, body: '{"route":"$default"}'}
            routeResponse: true
          hello:
            x-portico-integration: {type: mock, body: '{"route":"hello"}'}
            routeResponse: true
          echo:
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.ws", timeoutMs: 5000}
            routeResponse: true
          tell:
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.ws"}
          void:
            x-portico-integration: {type: kafka, topic: "${portico.topicPrefix}fn.void", timeoutMs: 300}
            routeResponse: true
      """;

  static final String STRICT =
      """
      openapi: 3.0.3
      info: {title: strict}
      paths: {}
      components:
        securitySchemes:
          hmac:
            type: http
            scheme: bearer
            x-portico-authorizer: {issuer: "https://issuer.test/", secret: "%s"}
      x-portico-websocket:
        routeSelectionExpression: $request.body.op.name
        routes:
          $connect:
            security: [{hmac: [dash.read]}]
            x-portico-integration: {type: mock}
          ping:
            x-portico-integration: {type: mock, body: pong}
            routeResponse: true
      """
          .formatted(SECRET);

  static final String CLOSED =
      """
      openapi: 3.0.3
      info: {title: closed}
      paths: {}
      x-portico-websocket:
        routes:
          $connect:
            x-portico-integration: {type: mock, statusCode: 403, body: '{"message":"Forbidden"}'}
          $default:
            x-portico-integration: {type: mock}
      """;

  Edge edge;
  TestFunction function;
  String prefix;
  String bootstrap;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    prefix = kafka.freshPrefix();
    bootstrap = kafka.bootstrapServers();
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(prefix + "fn.ws", 2, (short) 1),
                  new org.apache.kafka.clients.admin.NewTopic(prefix + "fn.void", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    // Echoes a MESSAGE's body back as the route response.
    function =
        new TestFunction(
            kafka.bootstrapServers(),
            List.of(prefix + "fn.ws"),
            record -> {
              JsonNode event = read(record);
              String body = event.path("body").asText();
              return Json.toBytes(
                  Map.of("statusCode", body.contains("fail") ? 500 : 200, "body", "echo:" + body));
            });
    edge = new Edge(kafka, prefix).with("PORTICO_EDGE_WS_IDLE_TIMEOUT_MS", "3000").start();
    Admin admin = new Admin(edge);
    admin.importApi("live", LIVE);
    admin.deploy("live", "live");
    admin.importApi("strict", STRICT);
    admin.deploy("strict", "strict");
    admin.importApi("closed", CLOSED);
    admin.deploy("closed", "closed");
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    function.close();
  }

  static JsonNode read(ConsumerRecord<String, byte[]> record) {
    try {
      return Json.MAPPER.readTree(record.value());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The events the function saw for one connection, in order. */
  List<JsonNode> events(String connectionId) {
    return function.seen.stream()
        .map(WebSocketApiTest::read)
        .filter(e -> connectionId.equals(e.path("requestContext").path("connectionId").asText()))
        .toList();
  }

  String connectionIdOf(WsClient client) {
    client.send("{\"action\":\"echo\",\"body\":\"who\"}");
    client.next(); // the echo: by now CONNECT and MESSAGE have been seen
    return function.seen.stream()
        .map(WebSocketApiTest::read)
        .filter(e -> e.path("requestContext").path("eventType").asText().equals("MESSAGE"))
        .reduce((a, b) -> b)
        .orElseThrow()
        .path("requestContext")
        .path("connectionId")
        .asText();
  }

  @Test
  void shouldSelectRoutesByTheSelectionExpression() {
    try (WsClient client = WsClient.connect(edge, "/live")) {
      Map<String, String> table =
          Map.of(
              "{\"action\":\"hello\"}", "{\"route\":\"hello\"}",
              "{\"action\":\"nope\"}", "{\"route\":\"$default\"}",
              "{\"other\":1}", "{\"route\":\"$default\"}",
              "not json at all", "{\"route\":\"$default\"}",
              "[1,2]", "{\"route\":\"$default\"}",
              "{\"action\":\"$connect\"}", "{\"route\":\"$default\"}");
      table.forEach(
          (message, expected) -> {
            client.send(message);
            assertEquals(expected, client.next(), message);
          });
    }
  }

  @Test
  void shouldAnswerAnErrorFrameAndKeepTheConnectionWhenNoRouteMatches() throws Exception {
    try (WsClient client =
        WsClient.connect(edge, "/strict?access_token=" + token(List.of("dash.read")))) {
      client.send("{\"op\":{\"name\":\"ping\"}}");
      assertEquals("pong", client.next());
      client.send("{\"op\":{\"name\":\"pong\"}}");
      JsonNode error = Json.MAPPER.readTree(client.next());
      assertEquals("Forbidden", error.path("message").asText());
      assertFalse(error.path("connectionId").asText().isEmpty());
      assertFalse(error.path("requestId").asText().isEmpty());
      client.send("{\"op\":{}}"); // absent path selects "", no such route either
      assertEquals("Forbidden", Json.MAPPER.readTree(client.next()).path("message").asText());
      client.send("{\"op\":{\"name\":\"ping\"}}");
      assertEquals("pong", client.next(), "the connection is kept");
    }
    assertTrue(edge.service.webSockets().metrics().total(WebSocketMetrics.CLIENT_ERROR) >= 2);
  }

  @Test
  void shouldAuthorizeConnectWithTheRestSidesAuthorizers() throws Exception {
    assertEquals(
        401, assertThrows(WsClient.Refused.class, () -> WsClient.connect(edge, "/strict")).status);
    assertEquals(
        403,
        assertThrows(
                WsClient.Refused.class,
                () -> WsClient.connect(edge, "/strict?access_token=" + token(List.of("other"))))
            .status,
        "a token without the route's scope");
    assertEquals(
        403,
        assertThrows(
                WsClient.Refused.class,
                () -> WsClient.connect(edge, "/strict?access_token=not.a.jwt"))
            .status);
    String good = token(List.of("dash.read"));
    try (WsClient header = WsClient.connect(edge, "/strict", "authorization", "Bearer " + good);
        WsClient query = WsClient.connect(edge, "/strict?access_token=" + good)) {
      header.send("{\"op\":{\"name\":\"ping\"}}");
      query.send("{\"op\":{\"name\":\"ping\"}}");
      assertEquals("pong", header.next());
      assertEquals("pong", query.next());
    }
  }

  @Test
  void shouldRefuseTheUpgradeWithTheConnectIntegrationsStatus() {
    WsClient.Refused refused =
        assertThrows(WsClient.Refused.class, () -> WsClient.connect(edge, "/closed"));
    assertEquals(403, refused.status);
    // The same path without an upgrade is not a route of a REST API.
    assertEquals(403, edge.get("/closed").statusCode());
  }

  @Test
  void shouldPublishConnectMessageAndDisconnectEventsAndSendTheRouteResponse() {
    String id;
    try (WsClient client = WsClient.connect(edge, "/live", "user-agent", "ws-test")) {
      client.send("{\"action\":\"echo\",\"n\":1}");
      assertEquals("echo:{\"action\":\"echo\",\"n\":1}", client.next());
      id = connectionIdOf(client);
      client.send("{\"action\":\"tell\",\"n\":2}"); // no route response: nothing comes back
      client.send("{\"action\":\"hello\"}");
      assertEquals(
          "{\"route\":\"hello\"}", client.next(), "no frame for the route without a response");
    }
    String connection = id;
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> events(connection).stream().anyMatch(e -> type(e).equals("DISCONNECT")));
    List<JsonNode> events = events(connection);
    assertEquals(
        List.of("CONNECT", "MESSAGE", "MESSAGE", "MESSAGE", "DISCONNECT"),
        events.stream().map(WebSocketApiTest::type).toList());
    JsonNode connect = events.get(0);
    assertEquals("$connect", connect.path("requestContext").path("routeKey").asText());
    assertEquals(
        "ws-test", connect.path("requestContext").path("identity").path("userAgent").asText());
    assertEquals("ws-test", connect.path("headers").path("user-agent").asText());
    JsonNode message = events.get(1);
    assertEquals("echo", message.path("requestContext").path("routeKey").asText());
    assertFalse(message.path("requestContext").path("messageId").asText().isEmpty());
    assertEquals("{\"action\":\"echo\",\"n\":1}", message.path("body").asText());
    assertEquals("tell", events.get(3).path("requestContext").path("routeKey").asText());
    JsonNode disconnect = events.get(4);
    assertEquals("$disconnect", disconnect.path("requestContext").path("routeKey").asText());
    assertEquals(1000, disconnect.path("requestContext").path("disconnectStatusCode").asInt());
    // Every event of one connection is keyed by its id: they stay in order on one partition.
    assertTrue(
        function.seen.stream()
            .filter(
                r ->
                    connection.equals(read(r).path("requestContext").path("connectionId").asText()))
            .allMatch(r -> connection.equals(r.key())));
  }

  @Test
  void shouldCountIntegrationAndExecutionErrorsAndKeepTheConnection() throws Exception {
    WebSocketMetrics metrics = edge.service.webSockets().metrics();
    double integrationErrors = metrics.total(WebSocketMetrics.INTEGRATION_ERROR);
    double executionErrors = metrics.total(WebSocketMetrics.EXECUTION_ERROR);
    try (WsClient client = WsClient.connect(edge, "/live")) {
      client.send("{\"action\":\"echo\",\"fail\":1}");
      assertEquals("echo:{\"action\":\"echo\",\"fail\":1}", client.next(), "the 500's body");
      // Counted once the outcome is known, just after the frame went out.
      Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> metrics.total(WebSocketMetrics.INTEGRATION_ERROR) == integrationErrors + 1);
      // Nobody answers on fn.void: the 300 ms timeout is an execution error, told to the client.
      client.send("{\"action\":\"void\"}");
      JsonNode error = Json.MAPPER.readTree(client.next());
      assertEquals("Internal server error", error.path("message").asText());
      Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> metrics.total(WebSocketMetrics.EXECUTION_ERROR) == executionErrors + 1);
      client.send("{\"action\":\"hello\"}");
      assertEquals("{\"route\":\"hello\"}", client.next());
    }
  }

  @Test
  void shouldPublishEachConnectMessageAndDisconnectAsARequestEventForMetrics() throws Exception {
    String id;
    try (WsClient client = WsClient.connect(edge, "/live")) {
      id = connectionIdOf(client); // an echo MESSAGE
      client.send("{\"action\":\"hello\"}");
      client.next();
      client.send("{\"action\":\"void\"}"); // nobody answers: ExecutionError
      client.next();
    }
    WsClient.Refused refused =
        assertThrows(WsClient.Refused.class, () -> WsClient.connect(edge, "/closed"));
    assertEquals(403, refused.status);
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "group.id",
                "ws-events-" + System.nanoTime(),
                "auto.offset.reset",
                "earliest"),
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(prefix + "gateway.requests"));
      List<JsonNode> events = new java.util.ArrayList<>();
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () -> {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(r -> events.add(read(r)));
                return events.stream()
                            .filter(e -> id.equals(e.path("connectionId").asText()))
                            .count()
                        == 5
                    && events.stream().anyMatch(e -> e.path("api").asText().equals("closed"));
              });
      List<JsonNode> mine =
          events.stream().filter(e -> id.equals(e.path("connectionId").asText())).toList();
      assertEquals(
          List.of(
              "CONNECT:$connect:101:",
              "MESSAGE:echo:200:",
              "MESSAGE:hello:200:",
              "MESSAGE:void:200:ExecutionError",
              "DISCONNECT:$disconnect:1000:"),
          mine.stream()
              .map(
                  e ->
                      e.path("eventType").asText()
                          + ":"
                          + e.path("routeKey").asText()
                          + ":"
                          + e.path("status").asInt()
                          + ":"
                          + e.path("errorType").asText())
              .toList());
      JsonNode refusedEvent =
          events.stream()
              .filter(e -> e.path("api").asText().equals("closed"))
              .findFirst()
              .orElseThrow();
      assertEquals("CONNECT", refusedEvent.path("eventType").asText());
      assertEquals(403, refusedEvent.path("status").asInt());
      assertEquals("ClientError", refusedEvent.path("errorType").asText());
    }
  }

  @Test
  void shouldPingQuietSocketsSoTheHttpIdleTimeoutNeverCutsThem(TestKafka kafka) throws Exception {
    // HTTP idle timeout 1.5 s: without pings a quiet socket would be cut after 1.5 s.
    try (Edge quick =
        new Edge(kafka, prefix)
            .with("PORTICO_EDGE_INSTANCE", "1")
            .with("PORTICO_EDGE_HTTP_IDLE_TIMEOUT_MS", "1500")
            .start()) {
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> quick.service.serving().stage("live") != null);
      try (WsClient client = WsClient.connect(quick, "/live")) {
        long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        // Quiet for 5 s (both ways, but for the edge's pings): the socket must stay open.
        Awaitility.await()
            .pollInterval(java.time.Duration.ofMillis(100))
            .atMost(10, TimeUnit.SECONDS)
            .until(() -> !client.isOpen() || System.nanoTime() > quietUntil);
        assertTrue(client.isOpen(), "closed with " + client.closeCode.getNow(null));
        client.send("{\"action\":\"hello\"}");
        assertEquals("{\"route\":\"hello\"}", client.next());
      }
    }
  }

  @Test
  void shouldCloseIdleConnectionsAndTellDisconnect() {
    long start = System.nanoTime();
    try (WsClient client = WsClient.connect(edge, "/live")) {
      String id = connectionIdOf(client);
      assertEquals(1001, client.awaitClose(20));
      long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(idleMs >= 3_000, "closed after " + idleMs + " ms, before the idle timeout");
      assertTrue(client.closeReason.join().contains("idle"), client.closeReason.join());
      Awaitility.await()
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> events(id).stream().anyMatch(e -> type(e).equals("DISCONNECT")));
      JsonNode disconnect =
          events(id).stream().filter(e -> type(e).equals("DISCONNECT")).findFirst().orElseThrow();
      assertEquals(1001, disconnect.path("requestContext").path("disconnectStatusCode").asInt());
    }
  }

  @Test
  void shouldTakeMessagesUpTo128KbAndCloseWith1009Beyond() {
    try (WsClient client = WsClient.connect(edge, "/live")) {
      String atLimit = "{\"action\":\"hello\",\"pad\":\"" + "x".repeat(131_072 - 27) + "\"}";
      assertEquals(131_072, atLimit.getBytes(StandardCharsets.UTF_8).length);
      client.send(atLimit);
      assertEquals("{\"route\":\"hello\"}", client.next());
      client.send(atLimit.replace("\"pad\":\"", "\"pad\":\"y"));
      assertEquals(1009, client.awaitClose(20));
    }
    // Two frames each under the limit that make one message over it.
    try (WsClient client = WsClient.connect(edge, "/live")) {
      client.sendPart("{\"action\":\"hello\",\"pad\":\"" + "x".repeat(70_000), false);
      client.sendPart("x".repeat(70_000) + "\"}", true);
      assertEquals(1009, client.awaitClose(20));
    }
  }

  static String type(JsonNode event) {
    return event.path("requestContext").path("eventType").asText();
  }

  static String token(List<String> scopes) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .issuer("https://issuer.test/")
                .subject("dashboard-1")
                .claim("scope", String.join(" ", scopes))
                .expirationTime(new Date(System.currentTimeMillis() + 600_000))
                .build());
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    assertNotNull(jwt.serialize());
    return jwt.serialize();
  }
}
