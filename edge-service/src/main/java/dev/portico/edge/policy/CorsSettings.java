package dev.portico.edge.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An API's CORS settings ({@code x-portico-cors} at the document root), with the API Gateway HTTP
 * API's field names. {@code allowOrigins: ["*"]} allows any origin, but never together with
 * credentials (browsers refuse that; the import rejects it).
 */
public record CorsSettings(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    boolean allowCredentials,
    int maxAge) {

  public static CorsSettings read(JsonNode node, String where, List<String> problems) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(where + ": must be an object");
      return null;
    }
    List<String> origins = strings(node.path("allowOrigins"), where + ".allowOrigins", problems);
    if (origins.isEmpty()) {
      problems.add(where + ".allowOrigins: at least one origin (or \"*\")");
    }
    boolean credentials = node.path("allowCredentials").asBoolean(false);
    if (credentials && origins.contains("*")) {
      problems.add(where + ": allowCredentials cannot be combined with allowOrigins \"*\"");
    }
    int maxAge = node.path("maxAge").asInt(0);
    if (maxAge < 0 || maxAge > 86_400) {
      problems.add(where + ".maxAge: 0 to 86400 seconds");
    }
    List<String> methods =
        strings(node.path("allowMethods"), where + ".allowMethods", problems).stream()
            .map(m -> m.toUpperCase(Locale.ROOT))
            .toList();
    return new CorsSettings(
        origins,
        methods.isEmpty() ? List.of("GET", "HEAD", "POST") : methods,
        strings(node.path("allowHeaders"), where + ".allowHeaders", problems),
        strings(node.path("exposeHeaders"), where + ".exposeHeaders", problems),
        credentials,
        maxAge);
  }

  private static List<String> strings(JsonNode node, String where, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(where + ": must be a list of strings");
      return out;
    }
    node.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** The value for {@code Access-Control-Allow-Origin}, or {@code null} if not allowed. */
  public String allowedOrigin(String origin) {
    if (origin == null) {
      return null;
    }
    if (allowOrigins.contains("*")) {
      return "*";
    }
    return allowOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(origin)) ? origin : null;
  }

  public boolean allowsMethod(String method) {
    return allowMethods.contains("*") || allowMethods.contains(method.toUpperCase(Locale.ROOT));
  }
}
