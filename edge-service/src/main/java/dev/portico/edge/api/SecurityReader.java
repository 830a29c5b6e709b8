package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OpenAPI security: {@code components.securitySchemes} (an {@code apiKey} scheme sent in the
 * {@code x-api-key} header; JWT authorizers as schemes with {@code x-portico-authorizer},
 * authorizer functions as schemes with {@code x-portico-authorizer: {type: function}}) and each
 * operation's {@code security} (or the document's default). An operation that requires any other
 * scheme is an error: the gateway could not enforce it, and serving it open would be worse. One
 * requirement object per operation is supported (the schemes in it are all required); alternatives
 * are rejected.
 */
final class SecurityReader {
  static final String AUTHORIZER = "x-portico-authorizer";

  private final Map<String, String> apiKeySchemes = new LinkedHashMap<>();
  private final Map<String, AuthorizerSettings> authorizers = new LinkedHashMap<>();
  private final Map<String, FunctionAuthorizer> functionAuthorizers = new LinkedHashMap<>();
  private final JsonNode defaultSecurity;

  SecurityReader(JsonNode root, List<String> problems, FunctionAuthorizerReader functions) {
    defaultSecurity = root.path("security");
    for (Map.Entry<String, JsonNode> scheme :
        root.path("components").path("securitySchemes").properties()) {
      String name = scheme.getKey();
      JsonNode node = scheme.getValue();
      String where = "components.securitySchemes." + name;
      // An authorizer first: API Gateway declares its authorizers as apiKey schemes.
      if (node.has(AUTHORIZER)) {
        JsonNode spec = node.get(AUTHORIZER);
        String type = spec.path("type").asText("jwt");
        if (type.equals(FunctionAuthorizerReader.TYPE)) {
          functionAuthorizers.put(
              name, functions.read(name, spec, where + "." + AUTHORIZER, problems));
        } else if (type.equals("jwt")) {
          authorizers.put(name, authorizer(name, spec, where, problems));
        } else {
          problems.add(where + "." + AUTHORIZER + ".type: jwt or function, was '" + type + "'");
        }
      } else if (node.path("type").asText("").equals("apiKey")
          && node.path("in").asText("").equals("header")
          && node.path("name").asText("").equalsIgnoreCase("x-api-key")) {
        apiKeySchemes.put(name, name);
      }
    }
  }

  private static AuthorizerSettings authorizer(
      String name, JsonNode spec, String where, List<String> problems) {
    String at = where + "." + AUTHORIZER;
    String issuer = spec.path("issuer").asText("");
    if (issuer.isEmpty()) {
      problems.add(at + ".issuer: required");
    }
    List<String> audience = new ArrayList<>();
    JsonNode aud = spec.path("audience");
    if (aud.isTextual()) {
      audience.add(aud.asText());
    } else {
      aud.forEach(a -> audience.add(a.asText()));
    }
    String jwks = spec.path("jwksUri").asText(null);
    String secret = spec.path("secret").asText(null);
    String publicKey = spec.path("publicKey").asText(null);
    int sources = (jwks == null ? 0 : 1) + (secret == null ? 0 : 1) + (publicKey == null ? 0 : 1);
    if (sources != 1) {
      problems.add(at + ": exactly one of jwksUri, secret, publicKey");
    }
    if (secret != null && secret.length() < 32) {
      problems.add(at + ".secret: at least 32 characters (256 bits for HS256)");
    }
    long leeway = spec.path("leewaySeconds").asLong(60);
    if (leeway < 0 || leeway > 300) {
      problems.add(at + ".leewaySeconds: 0 to 300");
    }
    return new AuthorizerSettings(
        name, issuer, audience, jwks, secret, publicKey, Duration.ofSeconds(leeway));
  }

  Map<String, AuthorizerSettings> authorizers() {
    return authorizers;
  }

  Map<String, FunctionAuthorizer> functionAuthorizers() {
    return functionAuthorizers;
  }

  /** {apiKeyRequired, authorizer (JWT or function) name or null, scopes} of one operation. */
  record Requirement(boolean apiKey, String authorizer, List<String> scopes) {}

  Requirement requirement(JsonNode operation, String where, List<String> problems) {
    JsonNode security = operation.has("security") ? operation.get("security") : defaultSecurity;
    if (security == null || security.isMissingNode() || security.isEmpty()) {
      return new Requirement(false, null, List.of());
    }
    if (!security.isArray() || security.size() > 1) {
      problems.add(
          where + ".security: one requirement object is supported (all its schemes apply)");
      return new Requirement(false, null, List.of());
    }
    boolean apiKey = false;
    String authorizer = null;
    List<String> scopes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : security.get(0).properties()) {
      String scheme = entry.getKey();
      if (apiKeySchemes.containsKey(scheme)) {
        apiKey = true;
      } else if (authorizers.containsKey(scheme) || functionAuthorizers.containsKey(scheme)) {
        if (authorizer != null) {
          problems.add(where + ".security: at most one authorizer");
        }
        authorizer = scheme;
        entry.getValue().forEach(s -> scopes.add(s.asText()));
        if (functionAuthorizers.containsKey(scheme) && !entry.getValue().isEmpty()) {
          problems.add(
              where
                  + ".security: "
                  + scheme
                  + " is an authorizer function; scopes apply to JWT authorizers only");
        }
      } else {
        problems.add(
            where
                + ".security: scheme "
                + scheme
                + " is neither an x-api-key apiKey scheme nor an x-portico-authorizer");
      }
    }
    return new Requirement(apiKey, authorizer, scopes);
  }
}
