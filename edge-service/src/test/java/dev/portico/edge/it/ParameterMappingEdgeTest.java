package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Parameter mapping through a real edge: what an http backend and a Kafka function receive once a
 * route's request mappings ran (in order, with the stage's variables), and what the client gets
 * once its response mappings ran; a mapping the edge cannot take is a 400 at import.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class ParameterMappingEdgeTest {
  Edge edge;
  Admin admin;
  Vertx backendVertx = Vertx.vertx();
  HttpServer backend;
  TestFunction function;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    String prefix = kafka.freshPrefix();
    backend =
        backendVertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  Map<String, Object> echo = new TreeMap<>();
                  echo.put("uri", req.uri());
                  // Repeated headers as the backend got them, each value apart.
                  req.headers()
                      .forEach(
                          h ->
                              echo.merge(
                                  "h:" + h.getKey().toLowerCase(),
                                  h.getValue(),
                                  (a, b) -> a + "|" + b));
                  req.response()
                      .putHeader("content-type", "application/json")
                      .putHeader("x-backend", "b1")
                      .putHeader("x-internal", "secret")
                      .setStatusCode(req.path().endsWith("/missing") ? 404 : 200)
                      .end(Json.toString(echo));
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    try (var kafkaAdmin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      kafkaAdmin
          .createTopics(
              List.of(new org.apache.kafka.clients.admin.NewTopic(prefix + "fn.map", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    function =
        new TestFunction(
            kafka.bootstrapServers(),
            List.of(prefix + "fn.map"),
            record ->
                "{\"statusCode\":201,\"body\":\"made\",\"headers\":{\"x-fn\":\"f1\",\"x-internal\":\"s\"}}"
                    .getBytes(StandardCharsets.UTF_8));
    edge = new Edge(kafka, prefix).start();
    admin = new Admin(edge);
    admin.importApi(
        "mapped",
        """
        openapi: 3.0.3
        info: {title: mapped}
        paths:
          /items/{id}:
            get:
              x-portico-integration:
                type: http
                uri: "http://127.0.0.1:%d/unused/{id}"
                requestParameters:
                  remove:header.x-user: ""
                  append:header.x-seen-user: "$request.header.x-user"
                  overwrite:header.x-env: "$stageVariables.env"
                  append:header.x-env: "${stageVariables.env}-${context.stage}"
                  overwrite:header.x-request: "$context.requestId"
                  overwrite:querystring.item: "$request.path.id"
                  remove:querystring.debug: ""
                  overwrite:path: "/v2/${stageVariables.env}/items/${request.path.id}"
                responseParameters:
                  "200":
                    overwrite:header.x-from-backend: "was ${response.header.x-backend}"
                    remove:header.x-internal: ""
                  "404":
                    overwrite:statuscode: "410"
          /orders/{id}:
            post:
              x-portico-integration:
                type: kafka
                topic: "${portico.topicPrefix}fn.map"
                requestParameters:
                  overwrite:header.x-tenant: "tenant-${request.path.id}"
                  overwrite:querystring.env: "$stageVariables.env"
                  overwrite:path: "/internal/orders/${request.path.id}"
                responseParameters:
                  "201":
                    append:header.x-stage: "$context.stage"
                    remove:header.x-internal: ""
                    overwrite:statuscode: "200"
        """
            .formatted(backend.actualPort()));
    admin.deploy("mapped", "live");
    admin.call(200, "PATCH", "/stages/live", "{\"variables\":{\"env\":\"blue\"}}");
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
    function.close();
    backendVertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldSendTheHttpBackendTheMappedRequestAndTheClientTheMappedAnswer() {
    HttpResponse<String> response =
        edge.request(
            "GET", "/live/items/a%20b?debug=1&keep=yes", null, "x-user", "ann", "x-user", "bob");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode seen = Admin.json(response);
    assertEquals("/v2/blue/items/a%20b?keep=yes&item=a%20b", seen.get("uri").asText());
    assertFalse(seen.has("h:x-user"), seen.toString());
    assertEquals("ann,bob", seen.get("h:x-seen-user").asText());
    // Overwritten, then appended to: in that order.
    assertEquals("blue|blue-live", seen.get("h:x-env").asText());
    assertEquals(
        response.headers().firstValue("x-portico-request-id").orElseThrow(),
        seen.get("h:x-request").asText());
    assertEquals("was b1", response.headers().firstValue("x-from-backend").orElseThrow());
    assertEquals("b1", response.headers().firstValue("x-backend").orElseThrow());
    assertTrue(
        response.headers().firstValue("x-internal").isEmpty(), response.headers().toString());
  }

  @Test
  void shouldMapTheResponseOnlyForTheStatusesItNames() {
    HttpResponse<String> gone = edge.get("/live/items/missing");
    assertEquals(410, gone.statusCode(), gone.body());
    // 404's rules do not touch headers: 200's removal does not apply.
    assertEquals("secret", gone.headers().firstValue("x-internal").orElseThrow());
  }

  @Test
  void shouldSendTheFunctionTheMappedRequestAndTheClientTheMappedAnswer() throws Exception {
    int before = function.seen.size();
    HttpResponse<String> response =
        edge.request(
            "POST", "/live/orders/o-1?env=client", "{}", "content-type", "application/json");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("made", response.body());
    assertEquals("f1", response.headers().firstValue("x-fn").orElseThrow());
    assertEquals("live", response.headers().firstValue("x-stage").orElseThrow());
    assertTrue(
        response.headers().firstValue("x-internal").isEmpty(), response.headers().toString());
    JsonNode event = Json.MAPPER.readTree(function.seen.get(before).value());
    assertEquals("tenant-o-1", event.get("headers").get("x-tenant").asText());
    assertEquals("blue", event.get("queryStringParameters").get("env").asText());
    assertEquals("env=blue", event.get("rawQueryString").asText());
    assertEquals("/internal/orders/o-1", event.get("rawPath").asText());
    assertEquals("o-1", event.get("pathParameters").get("id").asText());
  }

  @Test
  void shouldRefuseAMappingItCannotTakeWithA400NamingIt() {
    HttpResponse<String> refused =
        edge.admin(
            "PUT",
            "/apis/bad-mapping",
            """
            openapi: 3.0.3
            info: {title: bad}
            paths:
              /a:
                get:
                  x-portico-integration:
                    type: mock
                    requestParameters: {"overwrite:header.x-forwarded-for": "1.2.3.4"}
            """);
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(
        refused.body().contains("x-forwarded-for is a reserved header and cannot be mapped"),
        refused.body());
  }
}
