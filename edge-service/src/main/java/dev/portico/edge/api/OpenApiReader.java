package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portico.edge.routing.PathTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OpenAPI 3 document (YAML or JSON) with {@code x-portico-integration} on each operation
 * into an {@link ApiDefinition}. Collects every problem before failing. {@code
 * ${portico.topicPrefix}} in a Kafka topic is replaced by the deployment's topic prefix.
 */
public final class OpenApiReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch");
  private static final String ANY_METHOD = "x-amazon-apigateway-any-method";
  public static final Duration MAX_TIMEOUT = Duration.ofMillis(29_000);
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(50);

  private final String topicPrefix;
  private final Duration defaultTimeout;

  public OpenApiReader(String topicPrefix, Duration defaultTimeout) {
    this.topicPrefix = topicPrefix;
    this.defaultTimeout = defaultTimeout;
  }

  public ApiDefinition read(byte[] document) {
    JsonNode root;
    try {
      root = YAML.readTree(document);
    } catch (IOException e) {
      throw new InvalidApiException(List.of("not YAML or JSON: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidApiException(List.of("the document is not an object"));
    }
    if (!root.path("openapi").asText("").startsWith("3.")) {
      problems.add("openapi: must be a 3.x version");
    }
    String name = root.path("info").path("title").asText("");
    if (name.isBlank()) {
      problems.add("info.title: required (it names the API)");
    }
    List<Route> routes = new ArrayList<>();
    JsonNode paths = root.path("paths");
    if (!paths.isObject() || paths.isEmpty()) {
      problems.add("paths: at least one path is required");
    }
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      PathTemplate template;
      try {
        template = PathTemplate.parse(path.getKey());
      } catch (IllegalArgumentException e) {
        problems.add("paths." + path.getKey() + ": " + e.getMessage());
        continue;
      }
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        String key = op.getKey().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(key) && !key.equals(ANY_METHOD)) {
          continue;
        }
        String method = key.equals(ANY_METHOD) ? Route.ANY : key.toUpperCase(Locale.ROOT);
        String where = "paths." + path.getKey() + "." + op.getKey();
        Integration integration = integration(op.getValue(), where, problems);
        if (integration != null) {
          routes.add(new Route(method, template, integration));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidApiException(problems);
    }
    return new ApiDefinition(name, routes);
  }

  private Integration integration(JsonNode operation, String where, List<String> problems) {
    JsonNode spec = operation.path("x-portico-integration");
    if (!spec.isObject()) {
      problems.add(where + ": x-portico-integration is required");
      return null;
    }
    String type = spec.path("type").asText("");
    return switch (type) {
      case "kafka" -> kafka(spec, where, problems);
      case "mock" -> mock(spec, where, problems);
      default -> {
        problems.add(
            where + ".x-portico-integration.type: must be kafka or mock, was '" + type + "'");
        yield null;
      }
    };
  }

  private Integration kafka(JsonNode spec, String where, List<String> problems) {
    String topic = spec.path("topic").asText("").replace("${portico.topicPrefix}", topicPrefix);
    if (topic.isBlank()) {
      problems.add(where + ".x-portico-integration.topic: required for type kafka");
    }
    String key = spec.hasNonNull("key") ? spec.get("key").asText() : null;
    if (key != null
        && !key.matches("\\$request\\.(path|body|header|querystring)\\.[A-Za-z0-9_.-]+")) {
      problems.add(
          where
              + ".x-portico-integration.key: must be $request.path.X, $request.body.X,"
              + " $request.header.X or $request.querystring.X");
    }
    Duration timeout = defaultTimeout;
    if (spec.has("timeoutMs")) {
      long ms = spec.get("timeoutMs").asLong(-1);
      if (ms < MIN_TIMEOUT.toMillis() || ms > MAX_TIMEOUT.toMillis()) {
        problems.add(where + ".x-portico-integration.timeoutMs: must be 50 to 29000");
      } else {
        timeout = Duration.ofMillis(ms);
      }
    }
    return new Integration.Kafka(topic, key, timeout);
  }

  private static Integration mock(JsonNode spec, String where, List<String> problems) {
    int status = spec.path("statusCode").asInt(200);
    if (status < 100 || status > 599) {
      problems.add(where + ".x-portico-integration.statusCode: must be 100 to 599");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    spec.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    JsonNode body = spec.path("body");
    String text = body.isMissingNode() ? "" : body.isTextual() ? body.asText() : body.toString();
    return new Integration.Mock(status, headers, text);
  }
}
