package dev.portico.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.edge.api.ApiDefinition;
import dev.portico.edge.api.Integration;
import dev.portico.edge.api.InvalidApiException;
import dev.portico.edge.api.OpenApiReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenApiReaderTest {
  final OpenApiReader reader =
      new OpenApiReader("portico.", Duration.ofSeconds(29), Duration.ofSeconds(29));

  @Test
  void shouldReadTheBundledCustomerApi() throws Exception {
    ApiDefinition api;
    try (InputStream in = getClass().getResourceAsStream("/apis/customer-api.yaml")) {
      api = reader.read(in.readAllBytes());
    }
    assertEquals("customer-api", api.name());
    assertEquals(7, api.routes().size());
    var post =
        api.routes().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
    var kafka = (Integration.Kafka) post.integration();
    assertEquals("portico.customers.commands", kafka.topic());
    assertEquals("$request.body.customer_id", kafka.key());
    assertEquals(Duration.ofSeconds(29), kafka.timeout());
    var query =
        api.routes().stream()
            .filter(r -> r.routeKey().equals("GET /tables/{table}/items"))
            .findFirst()
            .orElseThrow();
    assertEquals("$request.path.table", ((Integration.Kafka) query.integration()).key());
  }

  @Test
  void shouldListEveryProblemOfAnInvalidDocument() {
    String doc =
        """
        openapi: 2.0
        info: {}
        paths:
          /a/{x+}/b:
            get: {}
          /ok:
            get:
              x-portico-integration: {type: kafka, timeoutMs: 30000}
            post:
              x-portico-integration: {type: lambda}
        """;
    InvalidApiException e =
        assertThrows(
            InvalidApiException.class, () -> reader.read(doc.getBytes(StandardCharsets.UTF_8)));
    assertEquals(7, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("openapi")));
    assertTrue(
        e.problems().stream()
            .anyMatch(p -> p.equals("paths./a/{x+}/b.get: x-portico-integration is required")));
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("info.title")));
    assertTrue(e.problems().stream().anyMatch(p -> p.contains("must be the last segment")));
    assertTrue(e.problems().stream().anyMatch(p -> p.endsWith("topic: required for type kafka")));
    assertTrue(
        e.problems().stream()
            .anyMatch(p -> p.contains("timeoutMs: must be 50 to 29000, was 30000")));
    assertTrue(e.problems().stream().anyMatch(p -> p.contains("must be kafka, http or mock")));
  }

  @Test
  void shouldListTheProblemsOfAnOperationUnderABadPathToo() {
    String doc =
        """
        openapi: 3.0.3
        info: {title: t}
        paths:
          /a/{x+}/b:
            get:
              x-portico-integration: {type: mock, statusCode: 700}
            post:
              x-portico-integration: {type: mock, statusCode: "two hundred"}
        """;
    InvalidApiException e =
        assertThrows(
            InvalidApiException.class, () -> reader.read(doc.getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        java.util.List.of(
            "paths./a/{x+}/b: {x+} must be the last segment",
            "paths./a/{x+}/b.get.x-portico-integration.statusCode: must be an integer 100 to 599,"
                + " was 700",
            "paths./a/{x+}/b.post.x-portico-integration.statusCode: must be an integer 100 to 599,"
                + " was \"two hundred\""),
        e.problems());
  }

  @Test
  void shouldReadJsonThatIsNotYamlAsJson() {
    String json =
        "\uFEFF {\n\t\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\"},\n\t\"paths\":"
            + " {\"/a\": {\"get\": {\"x-portico-integration\": {\"type\": \"mock\"}}}}}";
    assertEquals("t", reader.read(json.getBytes(StandardCharsets.UTF_8)).name());
  }

  @Test
  void shouldRejectSomethingThatIsNotYamlAtAll() {
    assertThrows(
        InvalidApiException.class,
        () -> reader.read("{ not: [yaml".getBytes(StandardCharsets.UTF_8)));
  }
}
