package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.ChannelMessage;
import dev.portico.contracts.ConnectionCommand;
import dev.portico.contracts.Json;
import dev.portico.contracts.Topics;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two edge replicas on one broker: {@code @connections} through either replica's admin API and
 * through the Kafka command topic; channels that reach subscribers on both replicas; limits on
 * subscriptions, slow consumers and the connection rate.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class WebSocketConnectionsTest {
  static final String API =
      """
      openapi: 3.0.3
      info: {title: board}
      paths: {}
      components:
        securitySchemes:
          hmac:
            type: http
            scheme: bearer
            x-portico-authorizer: {issuer: "https://issuer.test/", secret: "%s"}
      x-portico-websocket:
        routes:
          whoami:
            x-portico-integration: {type: mock, body: me}
            routeResponse: true
        channels:
          - pattern: customers
          - pattern: customers/*
          - pattern: secret/*
            scopes: [secret.read]
      """
          .formatted(WebSocketApiTest.SECRET);

  /** An API whose $connect needs an API key in a usage plan. */
  static final String KEYED =
      """
      openapi: 3.0.3
      info: {title: keyed}
      components:
        securitySchemes:
          key: {type: apiKey, in: header, name: x-api-key}
      x-portico-websocket:
        routes:
          $connect:
            security: [{key: []}]
            x-portico-integration: {type: mock}
          whoami:
            x-portico-integration: {type: mock, body: keyed}
            routeResponse: true
      """;

  /** Channels and a $default, no whoami route: the edge answers whoami itself. */
  static final String LOBBY =
      """
      openapi: 3.0.3
      info: {title: lobby}
      paths: {}
      x-portico-websocket:
        routes:
          $default:
            x-portico-integration: {type: mock, body: default}
            routeResponse: true
        channels:
          - pattern: lobby
      """;

  /** The same channels behind an authorizer on $connect: tokens' scopes open channels. */
  static final String VAULT =
      API.replace("title: board", "title: vault")
          .replace(
              "  routes:\n",
              "  routes:\n"
                  + "    $connect:\n"
                  + "      security: [{hmac: []}]\n"
                  + "      x-portico-integration: {type: mock}\n");

  String prefix;
  Edge a;
  Edge b;
  KafkaProducer<String, byte[]> producer;

  @BeforeAll
  void start(TestKafka kafka) {
    prefix = kafka.freshPrefix();
    a =
        new Edge(kafka, prefix)
            .with("PORTICO_EDGE_INSTANCE", "0")
            .with("PORTICO_EDGE_WS_MAX_SUBSCRIPTIONS", "3")
            .with("PORTICO_EDGE_WS_OUTBOUND_BUFFER_BYTES", "65536")
            .start();
    b = new Edge(kafka, prefix).with("PORTICO_EDGE_INSTANCE", "1").start();
    Admin admin = new Admin(a);
    admin.importApi("board", API);
    admin.deploy("board", "board");
    admin.importApi("vault", VAULT);
    admin.deploy("vault", "vault");
    admin.importApi("keyed", KEYED);
    admin.deploy("keyed", "keyed");
    admin.importApi("lobby", LOBBY);
    admin.deploy("lobby", "lobby");
    // Both replicas serve the deployment and know each other (heartbeats) before the tests.
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () ->
                b.service.serving().stage("lobby") != null
                    && a.service.liveReplicas() == 2
                    && b.service.liveReplicas() == 2);
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 0),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  void stop() {
    producer.close();
    a.close();
    b.close();
  }

  /** The id of the one connection {@code edge} holds now that it did not hold {@code before}. */
  static String newConnectionId(Edge edge, java.util.Set<String> before) {
    return Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                edge.service.webSockets().connectionIds().stream()
                    .filter(x -> !before.contains(x))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void shouldTellAClientItsOwnConnectionIdOnTheUpgradeAndWhenItAsks() throws Exception {
    try (RawWsClient client = new RawWsClient(a.service.dataPort(), "/lobby")) {
      String id = client.upgradeHeader("x-portico-connection-id");
      assertNotNull(id, "the 101 names the connection");
      assertEquals(16, id.length(), id);
      client.send("{\"action\":\"whoami\"}");
      JsonNode answer = Json.MAPPER.readTree(client.nextText());
      assertEquals("whoami", answer.path("type").asText(), answer.toString());
      assertEquals(id, answer.path("connectionId").asText());
      assertTrue(
          answer.path("connectedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}\\.\\d{3}Z"),
          answer.toString());
      client.send("{\"action\":\"other\"}");
      assertEquals("default", client.nextText(), "other actions still reach $default");
      // The id is what @connections takes, on any replica.
      assertEquals(200, b.admin("POST", "/@connections/" + id, "for you").statusCode());
      assertEquals("for you", client.nextText());
    }
  }

  @Test
  void shouldSendDescribeAndCloseAConnectionThroughEitherReplica() throws Exception {
    java.util.Set<String> existing = java.util.Set.copyOf(a.service.webSockets().connectionIds());
    try (WsClient client = WsClient.connect(a, "/board", "user-agent", "board-test")) {
      String id = newConnectionId(a, existing);

      // Through the replica that holds it, and through the other one.
      assertEquals(200, a.admin("POST", "/@connections/" + id, "via a").statusCode());
      assertEquals("via a", client.next());
      assertEquals(200, b.admin("POST", "/@connections/" + id, "via b").statusCode());
      assertEquals("via b", client.next());

      HttpResponse<String> info = b.admin("GET", "/@connections/" + id, null);
      assertEquals(200, info.statusCode(), info.body());
      JsonNode json = Admin.json(info);
      String iso = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"; // as documented
      assertTrue(json.path("connectedAt").asText().matches(iso), json.toString());
      assertTrue(json.path("lastActiveAt").asText().matches(iso), json.toString());
      assertEquals("127.0.0.1", json.path("identity").path("sourceIp").asText());
      assertEquals("board-test", json.path("identity").path("userAgent").asText());

      // 128 KB at the limit is sent; one byte more is 413 and nothing is sent.
      String atLimit = "z".repeat(131_072);
      assertEquals(200, b.admin("POST", "/@connections/" + id, atLimit).statusCode());
      assertEquals(atLimit, client.next());
      HttpResponse<String> tooBig = b.admin("POST", "/@connections/" + id, atLimit + "z");
      assertEquals(413, tooBig.statusCode(), tooBig.body());

      // A backend sends through the Kafka command topic, with no reply address.
      producer
          .send(
              new ProducerRecord<>(
                  Topics.WS_COMMANDS.name(prefix),
                  id,
                  Json.toBytes(
                      new ConnectionCommand(ConnectionCommand.POST, id, "via kafka", false))))
          .get(10, TimeUnit.SECONDS);
      assertEquals("via kafka", client.next());

      assertEquals(204, b.admin("DELETE", "/@connections/" + id, null).statusCode());
      assertEquals(1000, client.awaitClose(10));
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> b.admin("POST", "/@connections/" + id, "late").statusCode() == 410);
      HttpResponse<String> gone = a.admin("GET", "/@connections/" + id, null);
      assertEquals(410, gone.statusCode());
      assertEquals("Gone", Admin.json(gone).path("message").asText());
    }
    assertEquals(410, a.admin("POST", "/@connections/AAAAAAAAAAAAAAAA", "x").statusCode());
    assertEquals(410, a.admin("POST", "/@connections/not-an-id", "x").statusCode());
    assertEquals(
        401,
        a.adminAs(null, "GET", "/@connections/AAAAAAAAAAAAAAAA", null).statusCode(),
        "the admin token is required");
  }

  @Test
  void shouldTakeTheApiKeyOfConnectFromTheHeaderOrTheQuery() {
    Admin admin = new Admin(a);
    assertEquals(
        403, assertThrows(WsClient.Refused.class, () -> WsClient.connect(a, "/keyed")).status);
    JsonNode key = admin.call(201, "POST", "/apikeys", "{\"name\":\"dashboard\"}");
    String value = key.get("value").asText();
    assertEquals(
        403,
        assertThrows(WsClient.Refused.class, () -> WsClient.connect(a, "/keyed?x-api-key=" + value))
            .status,
        "a key in no usage plan");
    String plan =
        admin
            .call(
                201,
                "POST",
                "/usageplans",
                "{\"name\":\"ws\",\"apiStages\":[{\"apiId\":\"keyed\",\"stage\":\"keyed\"}]}")
            .get("id")
            .asText();
    admin.call(
        200,
        "POST",
        "/usageplans/" + plan + "/keys",
        "{\"keyId\":\"" + key.get("id").asText() + "\"}");
    try (WsClient byHeader = WsClient.connect(a, "/keyed", "x-api-key", value);
        WsClient byQuery = WsClient.connect(a, "/keyed?x-api-key=" + value)) {
      byHeader.send("{\"action\":\"whoami\"}");
      byQuery.send("{\"action\":\"whoami\"}");
      assertEquals("keyed", byHeader.next());
      assertEquals("keyed", byQuery.next());
    }
  }

  @Test
  void shouldAnswer429WhenTheClientsOutboundBufferIsFull() throws Exception {
    java.util.Set<String> existing = java.util.Set.copyOf(a.service.webSockets().connectionIds());
    try (RawWsClient slow = new RawWsClient(a.service.dataPort(), "/board")) {
      String id = newConnectionId(a, existing);
      String chunk = "q".repeat(131_072);
      int status = 200;
      int posts = 0;
      // Socket buffers take the first few; then the edge's 64 KB limit answers 429.
      while (status == 200 && posts < 500) {
        status = b.admin("POST", "/@connections/" + id, chunk).statusCode();
        posts++;
      }
      assertEquals(429, status, "after " + posts + " posts");
      HttpResponse<String> info = a.admin("GET", "/@connections/" + id, null);
      assertEquals(200, info.statusCode(), "a full buffer does not close the connection");
    }
  }

  @Test
  void shouldDeliverChannelMessagesToSubscribersOnEveryReplicaAndNothingElse() throws Exception {
    try (WsClient onA = WsClient.connect(a, "/board");
        WsClient onB = WsClient.connect(b, "/board");
        WsClient other = WsClient.connect(b, "/board")) {
      onA.send("{\"action\":\"subscribe\",\"channel\":\"customers/1230AWS\"}");
      onB.send("{\"action\":\"subscribe\",\"channel\":\"customers/1230AWS\"}");
      other.send("{\"action\":\"subscribe\",\"channel\":\"customers/9999XYZ\"}");
      for (WsClient c : List.of(onA, onB)) {
        JsonNode ack = Json.MAPPER.readTree(c.next());
        assertEquals("subscribed", ack.path("type").asText());
        assertEquals("customers/1230AWS", ack.path("channel").asText());
      }
      assertEquals("subscribed", Json.MAPPER.readTree(other.next()).path("type").asText());

      publish("customers/1230AWS", "e1", "{\"eventName\":\"INSERT\",\"n\":1}");
      publish("customers/4567GCP", "e2", "{\"eventName\":\"INSERT\",\"n\":2}");
      publish("customers/1230AWS", "e3", "{\"eventName\":\"MODIFY\",\"n\":3}");
      for (WsClient c : List.of(onA, onB)) {
        JsonNode first = Json.MAPPER.readTree(c.next());
        JsonNode second = Json.MAPPER.readTree(c.next());
        assertEquals("message", first.path("type").asText());
        assertEquals("customers/1230AWS", first.path("channel").asText());
        assertEquals("e1", first.path("eventId").asText());
        assertEquals("INSERT", first.path("data").path("eventName").asText());
        assertEquals("e3", second.path("eventId").asText(), "in order, nothing of 4567GCP");
      }
      // Unsubscribed clients get nothing more.
      onA.send("{\"action\":\"unsubscribe\",\"channel\":\"customers/1230AWS\"}");
      assertEquals("unsubscribed", Json.MAPPER.readTree(onA.next()).path("type").asText());
      publish("customers/1230AWS", "e4", "{\"n\":4}");
      publish("customers/9999XYZ", "e5", "{\"n\":5}");
      assertEquals("e4", Json.MAPPER.readTree(onB.next()).path("eventId").asText());
      // other's next frame is e5: it never saw e1, e3, e4.
      assertEquals("e5", Json.MAPPER.readTree(other.next()).path("eventId").asText());
      onA.send("{\"action\":\"whoami\"}");
      assertEquals("me", onA.next(), "nothing was queued before the route response");
    }
  }

  @Test
  void shouldAuthorizeSubscriptionsByChannelRulesAndLimitThem() throws Exception {
    assertEquals(
        401, assertThrows(WsClient.Refused.class, () -> WsClient.connect(a, "/vault")).status);
    try (WsClient anonymous = WsClient.connect(a, "/board");
        WsClient reader =
            WsClient.connect(
                a, "/vault?access_token=" + WebSocketApiTest.token(List.of("secret.read")));
        WsClient plain =
            WsClient.connect(a, "/vault?access_token=" + WebSocketApiTest.token(List.of()))) {
      anonymous.send("{\"action\":\"subscribe\",\"channel\":\"secret/plans\"}");
      JsonNode refused = Json.MAPPER.readTree(anonymous.next());
      assertEquals("Forbidden", refused.path("message").asText());
      anonymous.send("{\"action\":\"subscribe\",\"channel\":\"elsewhere\"}");
      assertEquals("Forbidden", Json.MAPPER.readTree(anonymous.next()).path("message").asText());
      anonymous.send("{\"action\":\"subscribe\",\"channel\":\"bad name\"}");
      assertTrue(
          Json.MAPPER
              .readTree(anonymous.next())
              .path("message")
              .asText()
              .startsWith("Invalid channel"));
      anonymous.send("{\"action\":\"subscribe\"}");
      assertTrue(
          Json.MAPPER
              .readTree(anonymous.next())
              .path("message")
              .asText()
              .startsWith("Invalid channel"));
      // Tokens are read at $connect (vault requires one): the scope opens secret/*.
      plain.send("{\"action\":\"subscribe\",\"channel\":\"secret/plans\"}");
      assertEquals("Forbidden", Json.MAPPER.readTree(plain.next()).path("message").asText());
      reader.send("{\"action\":\"subscribe\",\"channel\":\"secret/plans\"}");
      assertEquals("subscribed", Json.MAPPER.readTree(reader.next()).path("type").asText());

      // At most 3 subscriptions per connection here (PORTICO_EDGE_WS_MAX_SUBSCRIPTIONS).
      for (String channel : List.of("customers", "customers/1")) {
        reader.send("{\"action\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        assertEquals("subscribed", Json.MAPPER.readTree(reader.next()).path("type").asText());
      }
      reader.send("{\"action\":\"subscribe\",\"channel\":\"customers/2\"}");
      assertTrue(
          Json.MAPPER.readTree(reader.next()).path("message").asText().startsWith("Too many"));
      reader.send("{\"action\":\"subscribe\",\"channel\":\"customers\"}");
      assertEquals(
          "subscribed",
          Json.MAPPER.readTree(reader.next()).path("type").asText(),
          "subscribing again to a channel it has is not one more");
    }
  }

  @Test
  void shouldCloseASlowConsumerWith1013InsteadOfBufferingWithoutBound() throws Exception {
    double closedBefore = a.service.webSockets().metrics().slowConsumersClosed();
    try (WsClient fast = WsClient.connect(a, "/board");
        RawWsClient slow = new RawWsClient(a.service.dataPort(), "/board")) {
      fast.send("{\"action\":\"subscribe\",\"channel\":\"customers\"}");
      fast.next();
      // The slow client subscribes, then reads nothing: its frames pile up on the edge.
      slow.send("{\"action\":\"subscribe\",\"channel\":\"customers\"}");
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> a.service.webSockets().subscribers("customers") == 2);
      String big = "{\"pad\":\"" + "p".repeat(100_000) + "\"}";
      int sent = 0;
      // Far more than the socket buffers and the edge's 64 KB outbound limit hold together; the
      // fast client keeps up and stays.
      while (a.service.webSockets().subscribers("customers") == 2 && sent < 2_000) {
        for (int i = 0; i < 20; i++) {
          publish("customers", "big-" + sent++, big);
        }
        producer.flush();
        drain(fast, 20);
      }
      assertEquals(
          1, a.service.webSockets().subscribers("customers"), "after " + sent + " messages");
      assertTrue(a.service.webSockets().metrics().slowConsumersClosed() > closedBefore);
      assertEquals(1013, slow.readUntilClose(), "the close frame the slow client finally reads");
      fast.send("{\"action\":\"whoami\"}");
      assertEquals("me", fast.next(), "the fast client is still served");
    }
  }

  /** Reads {@code count} frames: the fast client keeps up. */
  private static void drain(WsClient client, int count) {
    for (int i = 0; i < count; i++) {
      client.next();
    }
  }

  @Test
  void shouldRefuseConnectionsOverTheRateWith429(TestKafka kafka) {
    try (Edge limited =
        new Edge(kafka, prefix)
            .with("PORTICO_EDGE_INSTANCE", "2")
            .with("PORTICO_EDGE_WS_CONNECT_RATE", "1")
            .start()) {
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> limited.service.serving().stage("board") != null);
      // A rate of 1/s holds two seconds' worth: two at once, then no third.
      try (WsClient first = WsClient.connect(limited, "/board");
          WsClient second = WsClient.connect(limited, "/board")) {
        WsClient.Refused refused =
            assertThrows(WsClient.Refused.class, () -> WsClient.connect(limited, "/board"));
        assertEquals(429, refused.status);
        first.send("{\"action\":\"whoami\"}");
        assertEquals("me", first.next());
      }
    }
  }

  private void publish(String channel, String eventId, String json) throws Exception {
    producer.send(
        new ProducerRecord<>(
            Topics.WS_CHANNELS.name(prefix),
            channel,
            Json.toBytes(new ChannelMessage(channel, eventId, Json.MAPPER.readTree(json)))));
  }
}
