package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.testing.KafkaExtension;
import dev.portico.testing.TestKafka;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class AdminApiTest {
  static final String PETS =
      """
      openapi: 3.0.3
      info: {title: Pets, version: "1"}
      paths:
        /pets:
          get:
            x-portico-integration:
              type: mock
              statusCode: 200
              headers: {content-type: application/json}
              body: '{"pets":["rex"],"v":"${stageVariables.v}"}'
      """;

  Edge edge;
  Admin admin;

  @BeforeAll
  void start(TestKafka kafka) {
    edge = new Edge(kafka, kafka.freshPrefix()).start();
    admin = new Admin(edge);
  }

  @AfterAll
  void stop() {
    edge.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Bearer wrong", "Bearer ", "Basic dGVzdA==", "bearer test-admin"})
  void shouldAnswer401ForAMissingOrWrongToken(String authorization) {
    HttpResponse<String> response =
        edge.adminAs(authorization.isEmpty() ? null : authorization, "GET", "/apis", null);
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
    assertTrue(Admin.json(response).get("message").asText().startsWith("Unauthorized"));
  }

  @Test
  void shouldAnswer401BeforeLookingAtTheRequest() {
    HttpResponse<String> response = edge.adminAs("Bearer nope", "PUT", "/apis/x", "{ not yaml");
    assertEquals(401, response.statusCode());
  }

  @Test
  void shouldAcceptTheTokenCaseInsensitiveScheme() {
    assertEquals(200, edge.adminAs("bearer " + Edge.TOKEN, "GET", "/apis", null).statusCode());
  }

  @Test
  void shouldServeItsOwnOpenApiDocumentWithoutAToken() {
    HttpResponse<String> yaml = edge.adminAs(null, "GET", "/openapi.yaml", null);
    assertEquals(200, yaml.statusCode());
    assertTrue(yaml.body().startsWith("openapi: 3"), yaml.body());
    HttpResponse<String> json = edge.adminAs(null, "GET", "/openapi.json", null);
    JsonNode doc = Admin.json(json);
    assertTrue(doc.path("paths").has("/stages/{stage}/canary/promote"));
    JsonNode connections = doc.path("paths").path("/@connections/{connectionId}");
    assertTrue(connections.has("post") && connections.has("get") && connections.has("delete"));
  }

  @Test
  void shouldImportDeployAndServeAnApiOnAStage() {
    JsonNode imported = admin.call(201, "POST", "/apis", PETS);
    assertEquals("pets", imported.get("id").asText());
    assertEquals("GET /pets", imported.get("routes").get(0).get("routeKey").asText());
    admin.call(409, "POST", "/apis", PETS);
    String deployment = admin.deploy("pets", "pets-dev");
    admin.call(200, "PATCH", "/stages/pets-dev", "{\"variables\":{\"v\":\"dev1\"}}");
    HttpResponse<String> served = edge.get("/pets-dev/pets");
    assertEquals(200, served.statusCode(), served.body());
    assertEquals("{\"pets\":[\"rex\"],\"v\":\"dev1\"}", served.body());
    JsonNode history = admin.call(200, "GET", "/apis/pets/deployments", null);
    assertEquals(deployment, history.get(0).get("id").asText());
    JsonNode stage = admin.call(200, "GET", "/stages/pets-dev", null);
    assertEquals(deployment, stage.get("deploymentId").asText());
  }

  @Test
  void shouldRejectAnInvalidDocumentWithEveryProblemAndKeepTheRunningConfig() {
    admin.importApi("keep", PETS.replace("Pets", "Keep"));
    admin.deploy("keep", "keep-prod");
    String before = admin.call(200, "GET", "/apis/keep/export?format=json", null).toString();
    String broken =
        """
        openapi: 3.0.3
        info: {title: Keep}
        paths:
          /a:
            get:
              x-portico-integration: {type: kafka}
            post:
              x-portico-integration: {type: http, uri: "ftp://x", timeoutMs: 10}
          /b/{p+}/c:
            get: {}
        """;
    HttpResponse<String> rejected = edge.admin("PUT", "/apis/keep", broken);
    assertEquals(400, rejected.statusCode());
    List<String> problems = new ArrayList<>();
    Admin.json(rejected).get("problems").forEach(p -> problems.add(p.asText()));
    assertEquals(5, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("topic: required")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("uri: required")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("timeoutMs: must be 50")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("must be the last segment")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("/c.get: x-portico-integration is")));
    assertEquals(before, admin.call(200, "GET", "/apis/keep/export?format=json", null).toString());
    assertEquals(200, edge.get("/keep-prod/pets").statusCode());
  }

  @Test
  void shouldValidateStagesAndCanaries() {
    admin.importApi("val", PETS.replace("Pets", "Val"));
    String deployment = admin.deploy("val", "val-dev");
    HttpResponse<String> bad =
        edge.admin(
            "PUT",
            "/stages/val-dev/canary",
            "{\"percentTraffic\":101,\"deploymentId\":\"nope\",\"stageVariableOverrides\":{\"a b\":\"x y\"}}");
    assertEquals(400, bad.statusCode());
    assertEquals(4, Admin.json(bad).get("problems").size(), bad.body());
    assertEquals(400, edge.admin("PUT", "/stages/bad%20name", "{}").statusCode());
    assertEquals(404, edge.admin("GET", "/stages/nope", null).statusCode());
    assertEquals(404, edge.admin("GET", "/apis/val/deployments/nope", null).statusCode());
    assertEquals(400, edge.admin("PATCH", "/stages/val-dev", "[1]").statusCode());
    assertEquals(
        400, edge.admin("PATCH", "/stages/val-dev", "{\"variables\":{\"v\":3}}").statusCode());
    assertEquals(409, edge.admin("POST", "/stages/val-dev/canary/promote", null).statusCode());
    assertEquals(409, edge.admin("DELETE", "/apis/val", null).statusCode());
    assertEquals(404, edge.admin("GET", "/no/such/thing", null).statusCode());
    // 100 variables is the limit; 101 is one too many.
    StringBuilder vars = new StringBuilder("{\"variables\":{");
    for (int i = 0; i < 100; i++) {
      vars.append(i == 0 ? "" : ",").append("\"v").append(i).append("\":\"x\"");
    }
    admin.call(200, "PATCH", "/stages/val-dev", vars + "}}");
    HttpResponse<String> tooMany =
        edge.admin("PATCH", "/stages/val-dev", "{\"variables\":{\"one_more\":\"x\"}}");
    assertEquals(400, tooMany.statusCode(), tooMany.body());
    assertNotEquals(null, deployment);
  }

  @Test
  void shouldDeleteStagesAndApis() {
    admin.importApi("gone", PETS.replace("Pets", "Gone"));
    admin.deploy("gone", "gone-dev");
    assertEquals(200, edge.get("/gone-dev/pets").statusCode());
    assertEquals(204, edge.admin("DELETE", "/stages/gone-dev", null).statusCode());
    assertEquals(404, edge.get("/gone-dev/pets").statusCode());
    assertEquals(204, edge.admin("DELETE", "/apis/gone", null).statusCode());
    assertEquals(404, edge.admin("GET", "/apis/gone", null).statusCode());
    assertFalse(edge.admin("GET", "/apis", null).body().contains("\"gone\""));
  }
}
