package dev.portico.example;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import java.util.Map;
import java.util.Optional;

/**
 * The example function's logic, free of Kafka: {@code GET /hello/{name}} (or {@code ?name=...})
 * answers {@code {"message":"Hello, <name>!","stage":"<stage>"}}.
 */
public final class HelloHandler {
  static final int MAX_NAME_LENGTH = 64;

  public FunctionResponse handle(FunctionRequest request) {
    String name =
        parameter(request.pathParameters(), "name")
            .or(() -> parameter(request.queryStringParameters(), "name"))
            .orElse("world");
    if (name.length() > MAX_NAME_LENGTH) {
      return json(
          400,
          Json.MAPPER
              .createObjectNode()
              .put("message", "name must be at most " + MAX_NAME_LENGTH + " characters"));
    }
    String stage = request.requestContext() == null ? null : request.requestContext().stage();
    // Built as a JSON tree, not by string concatenation: a name may hold quotes.
    return json(
        200,
        Json.MAPPER.createObjectNode().put("message", "Hello, " + name + "!").put("stage", stage));
  }

  private static Optional<String> parameter(Map<String, String> parameters, String name) {
    return Optional.ofNullable(parameters)
        .map(values -> values.get(name))
        .filter(value -> !value.isBlank());
  }

  private static FunctionResponse json(int status, ObjectNode body) {
    return FunctionResponse.json(status, body.toString(), Map.of());
  }
}
