package dev.portico.edge.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.portico.contracts.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates requests against one OpenAPI operation: required query and header parameters, the
 * request body's presence and media type, and a JSON body against its schema (JSON Schema with the
 * OpenAPI 3.0 dialect, by the networknt validator). Built once per deployment; {@code $ref}s to
 * {@code #/components/...} are inlined first, so the schema stands alone.
 */
public final class RequestValidator {
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());

  private final List<Parameter> required;
  private final boolean bodyRequired;

  /** Media type -> compiled schema (null when the media type has no schema). */
  private final Map<String, Schema> bodies;

  record Parameter(String in, String name) {}

  private RequestValidator(
      List<Parameter> required, boolean bodyRequired, Map<String, Schema> bodies) {
    this.required = required;
    this.bodyRequired = bodyRequired;
    this.bodies = bodies;
  }

  /**
   * Compiles the operation's rules; a schema that cannot be compiled is a problem of the import.
   */
  public static RequestValidator compile(
      JsonNode root, JsonNode operation, String where, List<String> problems) {
    List<Parameter> required = new ArrayList<>();
    for (JsonNode p : operation.path("parameters")) {
      JsonNode param = Refs.resolve(root, p);
      String in = param.path("in").asText("");
      if (param.path("required").asBoolean(false) && (in.equals("query") || in.equals("header"))) {
        required.add(new Parameter(in, param.path("name").asText()));
      }
    }
    JsonNode body = Refs.resolve(root, operation.path("requestBody"));
    Map<String, Schema> bodies = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> media : body.path("content").properties()) {
      JsonNode schema = media.getValue().get("schema");
      Schema compiled = null;
      if (schema != null) {
        try {
          compiled =
              SCHEMAS.getSchema(
                  SchemaLocation.of("urn:portico:" + where.hashCode()),
                  Refs.inline(root, schema, where + ".requestBody", problems));
        } catch (RuntimeException e) {
          problems.add(where + ".requestBody: schema not usable: " + e.getMessage());
        }
      }
      bodies.put(media.getKey().toLowerCase(Locale.ROOT), compiled);
    }
    return new RequestValidator(
        List.copyOf(required), body.path("required").asBoolean(false), bodies);
  }

  /** Whether the body must be read before the request can be judged. */
  public boolean needsBody() {
    return bodyRequired || bodies.values().stream().anyMatch(s -> s != null);
  }

  /** The names of required parameters the request lacks (query and header lookups given). */
  public List<String> missingParameters(
      java.util.function.Function<String, String> query,
      java.util.function.Function<String, String> header) {
    List<String> missing = new ArrayList<>();
    for (Parameter p : required) {
      String value = p.in().equals("query") ? query.apply(p.name()) : header.apply(p.name());
      if (value == null) {
        missing.add(p.name());
      }
    }
    return missing;
  }

  /** The outcome of checking a body. */
  public sealed interface BodyCheck permits Valid, UnsupportedMediaType, Invalid {}

  public record Valid() implements BodyCheck {}

  public record UnsupportedMediaType() implements BodyCheck {}

  public record Invalid(List<String> violations) implements BodyCheck {}

  public BodyCheck checkBody(String contentType, byte[] body) {
    boolean empty = body == null || body.length == 0;
    if (empty) {
      return bodyRequired ? new Invalid(List.of("a request body is required")) : new Valid();
    }
    if (bodies.isEmpty()) {
      return new Valid();
    }
    String media =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!bodies.containsKey(media)) {
      return new UnsupportedMediaType();
    }
    Schema schema = bodies.get(media);
    if (schema == null) {
      return new Valid();
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      return new Invalid(List.of("the body is not JSON"));
    }
    List<Error> errors = schema.validate(json);
    if (errors.isEmpty()) {
      return new Valid();
    }
    return new Invalid(errors.stream().map(Error::toString).toList());
  }
}
