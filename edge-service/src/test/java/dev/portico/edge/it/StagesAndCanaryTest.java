package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stages, stage variables, deployments, rollback and canary through the admin API. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class StagesAndCanaryTest {
  static final String ORDERS =
      """
      openapi: 3.0.3
      info: {title: orders}
      paths:
        /orders/{id}:
          get:
            x-portico-integration:
              type: kafka
              topic: "${portico.topicPrefix}fn.orders.${stageVariables.alias}"
              key: "$request.path.id"
              timeoutMs: 5000
      """;

  static String version(String v) {
    return """
        openapi: 3.0.3
        info: {title: versions}
        paths:
          /v:
            get:
              x-portico-integration: {type: mock, body: "%s ${stageVariables.color}"}
        """
        .formatted(v);
  }

  Edge edge;
  Admin admin;
  TestFunction function;
  String prefix;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    prefix = kafka.freshPrefix();
    List<String> topics = List.of(prefix + "fn.orders.dev", prefix + "fn.orders.prod");
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(
              topics.stream()
                  .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 2, (short) 1))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    // The function answers with the topic it was reached on: which function version ran.
    function =
        new TestFunction(
            kafka.bootstrapServers(),
            topics,
            r ->
                ("{\"statusCode\":200,\"body\":\"" + r.topic().substring(prefix.length()) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
    edge = new Edge(kafka, prefix).start();
    admin = new Admin(edge);
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    function.close();
  }

  @Test
  void shouldChooseTheTopicPerStageFromStageVariables() {
    admin.importApi("orders", ORDERS);
    String deployment = admin.deploy("orders", "orders-dev");
    admin.call(
        200,
        "PUT",
        "/stages/orders-prod",
        "{\"apiId\":\"orders\",\"deploymentId\":\""
            + deployment
            + "\",\"variables\":{\"alias\":\"prod\"}}");
    admin.call(200, "PATCH", "/stages/orders-dev", "{\"variables\":{\"alias\":\"dev\"}}");
    assertEquals("fn.orders.dev", edge.get("/orders-dev/orders/1").body());
    assertEquals("fn.orders.prod", edge.get("/orders-prod/orders/1").body());
    var record =
        function.seen.stream()
            .filter(r -> r.topic().endsWith("fn.orders.prod"))
            .findFirst()
            .orElseThrow();
    assertEquals("1", record.key());
  }

  /** Sends {@code n} requests and counts the answers that came from the canary. */
  int canaryAnswers(String path, int n, String canaryBody) {
    int canary = 0;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = edge.get(path);
      assertEquals(200, r.statusCode());
      boolean flagged = r.headers().firstValue("x-portico-canary").isPresent();
      assertEquals(flagged, r.body().equals(canaryBody), "header and body must agree: " + r.body());
      canary += flagged ? 1 : 0;
    }
    return canary;
  }

  @Test
  void shouldSplitTrafficToACanaryThenPromoteOrDropIt() {
    admin.importApi("versions", version("v1"));
    String v1 = admin.deploy("versions", "shop");
    admin.call(200, "PATCH", "/stages/shop", "{\"variables\":{\"color\":\"blue\"}}");
    admin.importApi("versions", version("v2"));
    String v2 =
        admin
            .call(201, "POST", "/apis/versions/deployments", "{\"description\":\"v2\"}")
            .get("id")
            .asText();
    assertEquals("v1 blue", edge.get("/shop/v").body(), "a new deployment changes no stage");

    String canary =
        "{\"percentTraffic\":%s,\"deploymentId\":\""
            + v2
            + "\",\"stageVariableOverrides\":{\"color\":\"green\"}}";
    admin.call(200, "PUT", "/stages/shop/canary", canary.formatted("0"));
    assertEquals(0, canaryAnswers("/shop/v", 200, "v2 green"));
    admin.call(200, "PUT", "/stages/shop/canary", canary.formatted("100"));
    assertEquals(200, canaryAnswers("/shop/v", 200, "v2 green"));
    String metrics =
        Edge.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + edge.service.opsPort() + "/metrics"))
                    .build())
            .body();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("portico_edge_requests_seconds_count{")
                        && l.contains("canary=\"true\"")
                        && l.contains("stage=\"shop\"")),
        "no canary series on /metrics");
    admin.call(200, "PUT", "/stages/shop/canary", canary.formatted("50"));
    int half = canaryAnswers("/shop/v", 1_000, "v2 green");
    // Binomial(1000, 0.5): sd ~15.8; 440-560 is beyond 3.7 sd either side.
    assertTrue(half > 440 && half < 560, "canary answered " + half + " of 1000");

    JsonNode dropped = admin.call(200, "DELETE", "/stages/shop/canary", null);
    assertTrue(dropped.get("canary").isNull());
    assertEquals(0, canaryAnswers("/shop/v", 50, "v2 green"));

    admin.call(200, "PUT", "/stages/shop/canary", canary.formatted("10"));
    JsonNode promoted = admin.call(200, "POST", "/stages/shop/canary/promote", null);
    assertEquals(v2, promoted.get("deploymentId").asText());
    assertEquals("green", promoted.get("variables").get("color").asText());
    assertTrue(promoted.get("canary").isNull());
    assertEquals(0, canaryAnswers("/shop/v", 50, "never"));
    assertEquals("v2 green", edge.get("/shop/v").body());

    // Rollback: point the stage at the earlier deployment, kept in the history.
    JsonNode history = admin.call(200, "GET", "/apis/versions/deployments", null);
    assertEquals(
        List.of(v2, v1),
        List.of(history.get(0).get("id").asText(), history.get(1).get("id").asText()));
    admin.call(200, "PATCH", "/stages/shop", "{\"deploymentId\":\"" + v1 + "\"}");
    assertEquals("v1 green", edge.get("/shop/v").body());
  }
}
