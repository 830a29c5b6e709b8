package dev.portico.edge.guards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An authorizer function's answer, read from the {@code body} of its response event: API Gateway's
 * simple response ({@code {"isAuthorized": true, "context": {...}}}) or its IAM policy response
 * ({@code {"principalId", "policyDocument": {"Statement": [{"Action": "execute-api:Invoke",
 * "Effect": "Allow", "Resource": "arn:..."}]}, "context"}}). A policy allows a route when a
 * statement for {@code execute-api:Invoke} allows a resource pattern ({@code *} and {@code ?}
 * wildcards) matching the route's ARN and none denies it, so one cached policy answers for every
 * route it names, as in API Gateway. Context values must be strings, numbers or booleans (API
 * Gateway's rule: they are meant to be mapped into headers and parameters).
 */
record AuthorizerVerdict(
    Boolean isAuthorized,
    List<Statement> statements,
    String principalId,
    Map<String, Object> context) {

  /** One policy statement: its effect and the resource patterns it covers. */
  record Statement(boolean allow, List<Pattern> resources) {
    boolean covers(String arn) {
      return resources.stream().anyMatch(p -> p.matcher(arn).matches());
    }
  }

  /** An answer the edge cannot read: the authorizer is misconfigured (500). */
  static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** Whether this verdict lets a request for {@code arn} through. */
  boolean allows(String arn) {
    if (isAuthorized != null) {
      return isAuthorized;
    }
    boolean allowed = false;
    for (Statement s : statements) {
      if (s.covers(arn)) {
        if (!s.allow()) {
          return false; // an explicit deny wins
        }
        allowed = true;
      }
    }
    return allowed;
  }

  /** Reads a well-formed response event (status 200) of an authorizer function. */
  static AuthorizerVerdict read(FunctionResponse response) {
    String body = response.body();
    if (body == null) {
      throw new Malformed("the authorizer's answer has no body");
    }
    if (response.isBase64Encoded()) {
      try {
        body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Malformed("the authorizer's answer is not base64");
      }
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new Malformed("the authorizer's answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("the authorizer's answer is not a JSON object");
    }
    JsonNode principal = root.path("principalId");
    if (!principal.isMissingNode() && !principal.isNull() && !principal.isTextual()) {
      throw new Malformed("principalId is not a string");
    }
    String principalId = principal.isTextual() ? principal.asText() : null;
    Map<String, Object> context = context(root.path("context"));
    JsonNode simple = root.path("isAuthorized");
    if (!simple.isMissingNode()) {
      if (!simple.isBoolean()) {
        throw new Malformed("isAuthorized is not a boolean");
      }
      return new AuthorizerVerdict(simple.asBoolean(), List.of(), principalId, context);
    }
    JsonNode policy = root.path("policyDocument");
    if (!policy.isObject()) {
      throw new Malformed("neither isAuthorized nor policyDocument");
    }
    return new AuthorizerVerdict(null, statements(policy.path("Statement")), principalId, context);
  }

  private static Map<String, Object> context(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new Malformed("context is not an object");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isTextual()) {
        out.put(e.getKey(), v.asText());
      } else if (v.isBoolean()) {
        out.put(e.getKey(), v.asBoolean());
      } else if (v.isNumber()) {
        out.put(e.getKey(), v.numberValue());
      } else {
        throw new Malformed("context." + e.getKey() + " is not a string, number or boolean");
      }
    }
    return out;
  }

  private static List<Statement> statements(JsonNode node) {
    List<JsonNode> all = new ArrayList<>();
    if (node.isObject()) {
      all.add(node);
    } else if (node.isArray()) {
      node.forEach(all::add);
    } else {
      throw new Malformed("policyDocument.Statement is missing");
    }
    List<Statement> out = new ArrayList<>();
    for (JsonNode s : all) {
      String effect = s.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw new Malformed("a statement's Effect is not Allow or Deny");
      }
      List<String> actions = strings(s.path("Action"), "Action");
      List<String> resources = strings(s.path("Resource"), "Resource");
      if (actions.stream().anyMatch(AuthorizerVerdict::invokes)) {
        out.add(
            new Statement(
                effect.equals("Allow"), resources.stream().map(AuthorizerVerdict::glob).toList()));
      }
    }
    return out;
  }

  private static boolean invokes(String action) {
    return action.equals("execute-api:Invoke")
        || action.equals("execute-api:*")
        || action.equals("*");
  }

  private static List<String> strings(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isArray()) {
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          throw new Malformed("a statement's " + field + " is not a string or a list of strings");
        }
        out.add(n.asText());
      }
    }
    if (out.isEmpty()) {
      throw new Malformed("a statement has no " + field);
    }
    return out;
  }

  /** An IAM resource pattern: {@code *} any run of characters, {@code ?} any one. */
  private static Pattern glob(String resource) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : resource.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
