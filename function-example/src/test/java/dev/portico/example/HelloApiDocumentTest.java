package dev.portico.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The OpenAPI document routes to the topic and key the example function serves. */
class HelloApiDocumentTest {
  @Test
  void theRouteShouldPublishToTheFunctionsTopicKeyedByName() throws Exception {
    JsonNode api =
        new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(Path.of("hello-api.yaml")));
    assertTrue(api.path("openapi").asText().startsWith("3."));
    JsonNode integration = api.at("/paths/~1hello~1{name}/get/x-portico-integration");
    assertEquals("kafka", integration.path("type").asText());
    assertEquals("portico.fn.hello", integration.path("topic").asText());
    assertEquals("$request.path.name", integration.path("key").asText());
    long timeout = integration.path("timeoutMs").asLong();
    assertTrue(timeout >= 50 && timeout <= 29_000, "the edge accepts 50-29000 ms");
  }
}
