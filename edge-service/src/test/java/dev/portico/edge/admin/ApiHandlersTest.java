package dev.portico.edge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.edge.ApiRecord;
import dev.portico.edge.api.ApiExporter.Format;
import dev.portico.edge.api.OpenApiReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiHandlersTest {
  @Test
  void shouldExportInTheFormatAskedForElseTheAcceptedOneElseYaml() {
    assertEquals(Format.JSON, ApiHandlers.format("json", null, "application/yaml"));
    assertEquals(Format.YAML, ApiHandlers.format("yaml", "false", "application/json"));
    assertEquals(Format.JSON, ApiHandlers.format(null, "true", "application/json"));
    assertEquals(Format.YAML, ApiHandlers.format(null, null, "*/*"));
    assertEquals(Format.YAML, ApiHandlers.format(null, null, null));
  }

  @Test
  void shouldRefuseAnUnknownFormatOrExtensionsValue() {
    for (String[] bad : new String[][] {{"xml", null}, {null, "yes"}, {"JSON", "true"}}) {
      AdminException e =
          assertThrows(AdminException.class, () -> ApiHandlers.format(bad[0], bad[1], null));
      assertEquals(400, e.status());
      assertEquals(List.of("format: yaml or json; extensions: true or false"), e.problems());
    }
  }

  @Test
  void shouldShowAnApiAsItsSummaryWithTheRoutesItDeclares() {
    String document =
        """
        {"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"}, "paths": {"/pets": {"get": {
          "x-portico-integration": {"type": "mock", "body": "[]"}}}}}
        """;
    ApiHandlers handlers =
        new ApiHandlers(
            null, new OpenApiReader("t.", Duration.ofSeconds(29), Duration.ofSeconds(29)));
    Map<String, Object> view =
        handlers.view(new ApiRecord("pets", "Pets", document, "2026-01-01T00:00:00Z", List.of()));
    JsonNode json = Json.MAPPER.valueToTree(view);
    assertEquals("pets", json.get("id").asText());
    assertEquals("Pets", json.get("name").asText());
    assertEquals(0, json.get("warnings").size());
    assertEquals(1, json.get("routes").size());
    assertEquals("GET /pets", json.get("routes").get(0).get("routeKey").asText());
    assertEquals("mock", json.get("routes").get(0).get("integration").asText());
  }
}
