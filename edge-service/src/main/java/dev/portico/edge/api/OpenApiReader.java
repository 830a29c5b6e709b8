package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portico.contracts.Json;
import dev.portico.edge.mapping.MappingReader;
import dev.portico.edge.mapping.ParameterMapping;
import dev.portico.edge.policy.CorsSettings;
import dev.portico.edge.policy.IpPolicyReader;
import dev.portico.edge.validation.RequestValidator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an OpenAPI 3 document (YAML or JSON) with {@code x-portico-integration} on each operation
 * into an {@link ApiDefinition}. Collects every problem before failing. An integration may carry
 * API Gateway's HTTP API parameter mapping ({@code requestParameters}, {@code responseParameters}:
 * {@link MappingReader}). {@code ${portico.topicPrefix}} in a Kafka topic is replaced by the
 * deployment's topic prefix.
 */
public final class OpenApiReader {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch");
  static final String ANY_METHOD = "x-amazon-apigateway-any-method";
  public static final String EXTENSION = "x-portico-integration";
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(50);
  private static final Pattern KEY_EXPRESSION =
      Pattern.compile("\\$request\\.(path|body|header|querystring)\\.[A-Za-z0-9_.-]+");
  private static final Pattern TOPIC =
      Pattern.compile("([A-Za-z0-9._-]|\\$\\{stageVariables\\.[A-Za-z0-9_]+})+");
  private static final Pattern HTTP_URI =
      Pattern.compile("(https?://|\\$\\{stageVariables\\.[A-Za-z0-9_]+}).+");

  private final String topicPrefix;
  private final Duration defaultTimeout;
  private final Duration maxTimeout;

  /**
   * @param maxTimeout the longest per-route timeout the operator allows (29 s unless raised)
   */
  public OpenApiReader(String topicPrefix, Duration defaultTimeout, Duration maxTimeout) {
    this.topicPrefix = topicPrefix;
    this.defaultTimeout = defaultTimeout;
    this.maxTimeout = maxTimeout;
  }

  /**
   * Parses JSON or YAML, told apart by the first character that is not white space (a JSON document
   * starts with <code>{</code>), never by a content type: clients label documents loosely ({@code
   * curl --data-binary} says form data). JSON is read as JSON because not all JSON is YAML (a
   * tab-indented JSON document is not). An unparseable document is an {@link InvalidApiException}.
   */
  public static JsonNode parse(byte[] document) {
    boolean json = looksLikeJson(document);
    JsonNode root;
    try {
      root = json ? Json.MAPPER.readTree(document) : YAML.readTree(document);
    } catch (IOException e) {
      throw new InvalidApiException(
          List.of((json ? "not JSON: " : "not YAML or JSON: ") + e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidApiException(List.of("the document is not an object"));
    }
    return root;
  }

  private static boolean looksLikeJson(byte[] document) {
    int i = 0;
    if (document.length >= 3
        && (document[0] & 0xff) == 0xef
        && (document[1] & 0xff) == 0xbb
        && (document[2] & 0xff) == 0xbf) {
      i = 3; // a UTF-8 byte order mark
    }
    while (i < document.length && Character.isWhitespace(document[i])) {
      i++;
    }
    return i < document.length && document[i] == '{';
  }

  String topicPrefix() {
    return topicPrefix;
  }

  public ApiDefinition read(byte[] document) {
    return read(parse(document));
  }

  public ApiDefinition read(JsonNode root) {
    List<String> problems = new ArrayList<>();
    if (root.has("swagger")) {
      problems.add(
          "swagger: a Swagger 2.0 document is not read; use OpenAPI 3 (for an API Gateway REST API:"
              + " aws apigateway get-export --export-type oas30)");
    } else if (!root.path("openapi").asText("").startsWith("3.")) {
      problems.add("openapi: must be a 3.x version");
    }
    String name = root.path("info").path("title").asText("");
    if (name.isBlank()) {
      problems.add("info.title: required (it names the API)");
    }
    SecurityReader security =
        new SecurityReader(root, problems, new FunctionAuthorizerReader(this));
    boolean validateByDefault = root.path("x-portico-validate").asBoolean(false);
    ApiPolicies policies =
        new ApiPolicies(
            CorsSettings.read(root.get("x-portico-cors"), "x-portico-cors", problems),
            IpPolicyReader.read(root.get("x-portico-ip-policy"), "x-portico-ip-policy", problems),
            security.authorizers(),
            security.functionAuthorizers());
    WebSocketApi websocket = WebSocketReader.read(root, security, this::integration, problems);
    List<Route> routes = new ArrayList<>();
    JsonNode paths = root.path("paths");
    if (websocket == null && (!paths.isObject() || paths.isEmpty())) {
      problems.add("paths: at least one path is required (or " + WebSocketReader.EXTENSION + ")");
    }
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      PathTemplate template = null;
      try {
        template = PathTemplate.parse(path.getKey());
      } catch (IllegalArgumentException e) {
        // Reported, and its operations are still read: every problem is listed at once.
        problems.add("paths." + path.getKey() + ": " + e.getMessage());
      }
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        String key = op.getKey().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(key) && !key.equals(ANY_METHOD)) {
          continue;
        }
        String method = key.equals(ANY_METHOD) ? Route.ANY : key.toUpperCase(Locale.ROOT);
        String where = "paths." + path.getKey() + "." + op.getKey();
        JsonNode operation = op.getValue();
        Integration integration = integration(operation, where, problems);
        SecurityReader.Requirement requirement = security.requirement(operation, where, problems);
        RouteOptions options =
            new RouteOptions(
                requirement.apiKey(),
                requirement.authorizer(),
                requirement.scopes(),
                operation.path("x-portico-validate").asBoolean(validateByDefault)
                    ? RequestValidator.compile(
                        root, withPathParameters(operation, path.getValue()), where, problems)
                    : null,
                cacheKeyParameters(operation, where, problems));
        ParameterMapping mapping =
            MappingReader.read(
                operation.path(EXTENSION).path("requestParameters"),
                operation.path(EXTENSION).path("responseParameters"),
                where + "." + EXTENSION,
                problems);
        if (integration != null && template != null) {
          routes.add(new Route(method, template, integration, options, mapping));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidApiException(problems);
    }
    return new ApiDefinition(name, routes, policies, websocket);
  }

  /** The operation with the path item's shared parameters added (OpenAPI: they apply to all). */
  private static JsonNode withPathParameters(JsonNode operation, JsonNode pathItem) {
    JsonNode shared = pathItem.path("parameters");
    if (!shared.isArray() || shared.isEmpty() || !(operation instanceof ObjectNode op)) {
      return operation;
    }
    ObjectNode copy = op.deepCopy();
    ArrayNode parameters = copy.withArray("parameters");
    shared.forEach(parameters::add);
    return copy;
  }

  private static List<String> cacheKeyParameters(
      JsonNode operation, String where, List<String> problems) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : operation.path("x-portico-cache").path("keyParameters")) {
      String value = p.asText();
      if (!value.matches("(querystring|header)\\.[A-Za-z0-9_.-]+")) {
        problems.add(
            where + ".x-portico-cache.keyParameters: querystring.X or header.X, was " + value);
      } else {
        out.add(value.startsWith("header.") ? value.toLowerCase(Locale.ROOT) : value);
      }
    }
    return out;
  }

  Integration integration(JsonNode operation, String where, List<String> problems) {
    JsonNode spec = operation.path(EXTENSION);
    if (!spec.isObject()) {
      problems.add(where + ": " + EXTENSION + " is required");
      return null;
    }
    String at = where + "." + EXTENSION;
    String type = spec.path("type").asText("");
    return switch (type) {
      case "kafka" -> kafka(spec, at, problems);
      case "http" -> http(spec, at, problems);
      case "mock" -> mock(spec, at, problems);
      default -> {
        problems.add(at + ".type: must be kafka, http or mock, was '" + type + "'");
        yield null;
      }
    };
  }

  private Integration kafka(JsonNode spec, String at, List<String> problems) {
    String topic = spec.path("topic").asText("").replace("${portico.topicPrefix}", topicPrefix);
    if (topic.isBlank()) {
      problems.add(at + ".topic: required for type kafka");
    } else if (!TOPIC.matcher(topic).matches()) {
      problems.add(at + ".topic: '" + topic + "' is not a valid topic name");
    }
    String key = spec.hasNonNull("key") ? spec.get("key").asText() : null;
    if (key != null && !KEY_EXPRESSION.matcher(key).matches()) {
      problems.add(
          at
              + ".key: must be $request.path.X, $request.body.X, $request.header.X or"
              + " $request.querystring.X");
    }
    String mode = spec.path("mode").asText("sync");
    Integration.Mode parsed = Integration.Mode.SYNC;
    if (mode.equals("async")) {
      parsed = Integration.Mode.ASYNC;
    } else if (!mode.equals("sync")) {
      problems.add(at + ".mode: must be sync or async, was '" + mode + "'");
    }
    String version = spec.path("payloadFormatVersion").asText("2.0");
    Integration.PayloadFormat format = Integration.PayloadFormat.of(version);
    if (format == null) {
      problems.add(at + ".payloadFormatVersion: must be \"1.0\" or \"2.0\", was '" + version + "'");
      format = Integration.PayloadFormat.V2_0;
    }
    return new Integration.Kafka(topic, key, parsed, timeout(spec, at, problems), format);
  }

  private Integration http(JsonNode spec, String at, List<String> problems) {
    String uri = spec.path("uri").asText("");
    if (!HTTP_URI.matcher(uri).matches()) {
      problems.add(at + ".uri: required for type http, an http:// or https:// URL");
    }
    String method = null;
    if (spec.hasNonNull("httpMethod")) {
      method = spec.get("httpMethod").asText().toUpperCase(Locale.ROOT);
      if (method.equals(Route.ANY)) {
        method = null;
      } else if (!METHODS.contains(method.toLowerCase(Locale.ROOT))) {
        problems.add(at + ".httpMethod: not an HTTP method: " + method);
      }
    }
    return new Integration.Http(uri, method, timeout(spec, at, problems));
  }

  Duration timeout(JsonNode spec, String at, List<String> problems) {
    if (!spec.has("timeoutMs")) {
      return defaultTimeout;
    }
    long ms = spec.get("timeoutMs").asLong(-1);
    if (ms < MIN_TIMEOUT.toMillis() || ms > maxTimeout.toMillis()) {
      problems.add(
          at
              + ".timeoutMs: must be "
              + MIN_TIMEOUT.toMillis()
              + " to "
              + maxTimeout.toMillis()
              + ", was "
              + spec.get("timeoutMs").asText());
      return defaultTimeout;
    }
    return Duration.ofMillis(ms);
  }

  private static Integration mock(JsonNode spec, String at, List<String> problems) {
    JsonNode code = spec.path("statusCode");
    boolean integer =
        code.isMissingNode()
            || code.isIntegralNumber()
            || (code.isTextual() && code.asText().matches("[0-9]{1,3}"));
    int status = code.isMissingNode() ? 200 : code.asInt(-1);
    if (!integer || status < 100 || status > 599) {
      problems.add(at + ".statusCode: must be an integer 100 to 599, was " + code);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    spec.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    JsonNode body = spec.path("body");
    String text = body.isMissingNode() ? "" : body.isTextual() ? body.asText() : body.toString();
    return new Integration.Mock(status, headers, text);
  }
}
