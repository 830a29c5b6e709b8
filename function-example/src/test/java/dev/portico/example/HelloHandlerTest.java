package dev.portico.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloHandlerTest {
  final HelloHandler hello = new HelloHandler();

  static FunctionRequest request(Map<String, String> path, Map<String, String> query) {
    return new FunctionRequest(
        FunctionRequest.VERSION,
        "GET /hello/{name}",
        "/dev/hello/x",
        "",
        Map.of(),
        query,
        path,
        null,
        null,
        false,
        new FunctionRequest.RequestContext(
            "hello-api", "dev", "r-1", "GET /hello/{name}", null, null, null, 0));
  }

  static JsonNode body(FunctionResponse response) throws Exception {
    assertEquals("application/json", response.headers().get("content-type"));
    return Json.MAPPER.readTree(response.body());
  }

  @Test
  void shouldGreetTheNameInThePathWithTheStage() throws Exception {
    FunctionResponse response = hello.handle(request(Map.of("name", "Ada"), null));
    assertEquals(200, response.statusCode());
    assertEquals(
        Json.MAPPER.readTree("{\"message\":\"Hello, Ada!\",\"stage\":\"dev\"}"), body(response));
  }

  @Test
  void shouldFallBackToTheQueryStringThenToWorld() throws Exception {
    assertEquals(
        "Hello, Bob!",
        body(hello.handle(request(null, Map.of("name", "Bob")))).get("message").asText());
    assertEquals("Hello, world!", body(hello.handle(request(null, null))).get("message").asText());
    assertEquals(
        "Hello, world!",
        body(hello.handle(request(Map.of("name", " "), null))).get("message").asText());
  }

  @Test
  void shouldEscapeTheNameAsJson() throws Exception {
    FunctionResponse response = hello.handle(request(Map.of("name", "\"quoted\""), null));
    assertEquals("Hello, \"quoted\"!", body(response).get("message").asText());
  }

  @Test
  void shouldRejectAnOverlongName() throws Exception {
    FunctionResponse response = hello.handle(request(Map.of("name", "x".repeat(65)), null));
    assertEquals(400, response.statusCode());
    assertEquals("name must be at most 64 characters", body(response).get("message").asText());
  }

  @Test
  void aRequestWithoutContextStillGetsAGreeting() throws Exception {
    FunctionRequest bare =
        new FunctionRequest(null, null, null, null, null, null, null, null, null, false, null);
    JsonNode body = body(hello.handle(bare));
    assertEquals("Hello, world!", body.get("message").asText());
    assertEquals(true, body.get("stage").isNull());
  }
}
