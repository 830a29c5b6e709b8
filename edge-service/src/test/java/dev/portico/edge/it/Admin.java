package dev.portico.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import java.net.http.HttpResponse;

/** Admin API steps tests repeat: import, deploy, point a stage, each asserting success. */
final class Admin {
  private final Edge edge;

  Admin(Edge edge) {
    this.edge = edge;
  }

  JsonNode importApi(String id, String document) {
    return ok(200, edge.admin("PUT", "/apis/" + id, document));
  }

  /**
   * Deploys the API's current document, pointing {@code stage} at it; returns the deployment id.
   */
  String deploy(String apiId, String stage) {
    return ok(
            201,
            edge.admin(
                "POST",
                "/apis/" + apiId + "/deployments",
                "{\"stage\":\"" + stage + "\",\"description\":\"test\"}"))
        .get("id")
        .asText();
  }

  JsonNode call(int expectedStatus, String method, String path, String body) {
    return ok(expectedStatus, edge.admin(method, path, body));
  }

  static JsonNode ok(int expected, HttpResponse<String> response) {
    assertEquals(expected, response.statusCode(), response.body());
    return response.body().isEmpty() ? null : json(response);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }
}
