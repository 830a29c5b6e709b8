package dev.portico.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.edge.api.OpenApiReader;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The admin API's own OpenAPI document ({@code /admin/openapi.yaml} in the jar), served as YAML and
 * as JSON without a token. It is the API's reference: a test holds it to the route table.
 */
final class OpenApiDocument {
  private final String yaml;
  private final JsonNode tree;
  private final String json;

  OpenApiDocument() {
    this.yaml = resource("/admin/openapi.yaml");
    this.tree = OpenApiReader.parse(yaml.getBytes(StandardCharsets.UTF_8));
    this.json = Json.toString(tree);
  }

  void yaml(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/yaml").end(yaml);
  }

  void json(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(json);
  }

  /** The document's {@code paths}: each path template and its operations. */
  JsonNode paths() {
    return tree.path("paths");
  }

  private static String resource(String name) {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
