package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates API Gateway's REQUEST authorizers ({@code x-amazon-apigateway-authorizer} of type
 * {@code request} on a security scheme, calling a Lambda function) into authorizer functions: an
 * {@code x-portico-authorizer} of type {@code function} beside the AWS extension, on topic {@code
 * ${portico.topicPrefix}fn.NAME}, with the identity sources (REST API syntax {@code
 * method.request.header.X} rewritten to the HTTP API syntax {@code $request.header.X}) and the
 * result TTL. Other authorizer types are left alone (the importer warns about them).
 */
final class AwsAuthorizers {
  static final String EXTENSION = "x-amazon-apigateway-authorizer";
  static final Set<String> KEYS = Set.of(EXTENSION, "x-amazon-apigateway-authtype");
  private static final Pattern LAMBDA_ARN =
      Pattern.compile(".*:function:([^/:]+)(?::([^/]+))?/invocations$");

  private AwsAuthorizers() {}

  /** Adds an {@code x-portico-authorizer} to every scheme with a translatable AWS authorizer. */
  static void translate(ObjectNode root, List<String> warnings) {
    for (Map.Entry<String, JsonNode> e :
        root.path("components").path("securitySchemes").properties()) {
      JsonNode aws = e.getValue().path(EXTENSION);
      if (!(e.getValue() instanceof ObjectNode scheme)
          || !aws.isObject()
          || scheme.has(SecurityReader.AUTHORIZER)
          || !aws.path("type").asText("").toLowerCase(Locale.ROOT).equals("request")) {
        continue;
      }
      String where = "components.securitySchemes." + e.getKey() + "." + EXTENSION;
      Matcher m = LAMBDA_ARN.matcher(aws.path("authorizerUri").asText(""));
      if (!m.matches()) {
        continue; // not a Lambda function: reported as not mapped
      }
      ObjectNode out = scheme.putObject(SecurityReader.AUTHORIZER);
      String topic = "${portico.topicPrefix}fn." + m.group(1);
      String alias = m.group(2);
      if (alias != null && alias.contains("${")) {
        warnings.add(
            where
                + ": the alias "
                + alias
                + " is dropped (no stage variables in an"
                + " authorizer's topic): the topic is "
                + topic);
        alias = null;
      }
      out.put("type", FunctionAuthorizerReader.TYPE)
          .put("topic", alias == null ? topic : topic + "." + alias);
      ArrayNode sources = out.putArray("identitySource");
      for (String source : aws.path("identitySource").asText("").split(",")) {
        if (!source.isBlank()) {
          sources.add(httpApiSyntax(source.trim()));
        }
      }
      out.put(
          "resultTtlSeconds",
          aws.path("authorizerResultTtlInSeconds")
              .asInt((int) FunctionAuthorizer.DEFAULT_TTL.toSeconds()));
      if (aws.has("authorizerCredentials")) {
        warnings.add(where + ".authorizerCredentials: dropped");
      }
      if (aws.has("identityValidationExpression")) {
        warnings.add(where + ".identityValidationExpression: dropped (TOKEN authorizers only)");
      }
    }
  }

  /** Whether {@code node} is a scheme whose AWS authorizer was translated. */
  static boolean isTranslated(JsonNode node) {
    return node.has(EXTENSION)
        && node.path(SecurityReader.AUTHORIZER).path("type").asText("").equals("function");
  }

  /** {@code method.request.header.X} (REST API) to {@code $request.header.X} (HTTP API). */
  static String httpApiSyntax(String source) {
    if (source.startsWith("$")) {
      return source;
    }
    if (source.startsWith("method.request.")) {
      return "$request." + source.substring("method.request.".length());
    }
    if (source.startsWith("route.request.")) {
      return "$request." + source.substring("route.request.".length()); // WebSocket APIs
    }
    if (source.startsWith("context.")) {
      return "$" + source;
    }
    if (source.startsWith("stageVariables.")) {
      return "$" + source;
    }
    return source;
  }
}
