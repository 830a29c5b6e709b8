package dev.portico.edge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Exports a stored API document as OpenAPI 3, YAML or JSON, with its integration extensions or
 * without them ({@code x-portico-*} and {@code x-amazon-apigateway-*} removed everywhere): a plain
 * document for clients and documentation tools. {@code x-amazon-apigateway-any-method} stays: it is
 * the operation itself (method ANY), which plain OpenAPI cannot express.
 */
public final class ApiExporter {
  private ApiExporter() {}

  public enum Format {
    YAML,
    JSON
  }

  public static String export(String storedDocument, boolean withExtensions, Format format) {
    try {
      JsonNode root = Json.MAPPER.readTree(storedDocument);
      if (!withExtensions) {
        strip(root);
      }
      return format == Format.JSON
          ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root)
          : OpenApiReader.YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object
          .properties()
          .removeIf(
              (Map.Entry<String, JsonNode> e) ->
                  e.getKey().startsWith("x-portico-")
                      || (e.getKey().startsWith("x-amazon-apigateway-")
                          && !e.getKey().equals(OpenApiReader.ANY_METHOD)));
      object.forEach(ApiExporter::strip);
    } else if (node.isArray()) {
      node.forEach(ApiExporter::strip);
    }
  }
}
