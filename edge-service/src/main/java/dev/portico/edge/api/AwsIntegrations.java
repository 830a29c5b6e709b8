package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates an {@code x-amazon-apigateway-integration} into an {@code x-portico-integration}, so a
 * team can bring an API exported from AWS:
 *
 * <ul>
 *   <li>{@code aws_proxy} to a Lambda function {@code NAME} (optionally {@code NAME:ALIAS}) becomes
 *       {@code kafka} on topic {@code ${portico.topicPrefix}fn.NAME} ({@code fn.NAME.ALIAS}); stage
 *       variables in the ARN carry over, so {@code function:orders:${stageVariables.alias}} picks
 *       the topic per stage; the payload format is the integration's {@code payloadFormatVersion},
 *       else 1.0 for a REST API export and 2.0 for an HTTP API export;
 *   <li>{@code http_proxy} (and {@code http} without mapping templates) becomes {@code http};
 *   <li>{@code mock} becomes {@code mock}, status and body from the default response.
 * </ul>
 *
 * Parameter mappings carry over where Portico has them ({@link AwsParameterMappings}). Anything
 * else cannot be mapped and is reported, as are settings that are dropped on the way.
 */
public final class AwsIntegrations {
  public static final String EXTENSION = "x-amazon-apigateway-integration";
  private static final Pattern LAMBDA_ARN =
      Pattern.compile(".*:function:([^/:]+)(?::([^/]+))?/invocations$");
  private static final Pattern STATIC_HEADER = Pattern.compile("method\\.response\\.header\\.(.+)");

  /** A translated integration, or why there is none; {@code notes} lists dropped settings. */
  public record Translation(ObjectNode integration, String unmappable, List<String> notes) {}

  private AwsIntegrations() {}

  /**
   * @param restApi whether the document is a REST API export (its {@code aws_proxy} functions were
   *     written for the payload format 1.0) rather than an HTTP API export (2.0 unless the
   *     integration says otherwise)
   */
  public static Translation translate(JsonNode aws, boolean restApi) {
    String type = aws.path("type").asText("").toLowerCase(Locale.ROOT);
    List<String> notes = new java.util.ArrayList<>();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    switch (type) {
      case "aws_proxy" -> {
        Matcher m = LAMBDA_ARN.matcher(aws.path("uri").asText(""));
        if (!m.matches()) {
          return unmappable("aws_proxy to a target that is not a Lambda function");
        }
        String topic = "${portico.topicPrefix}fn." + m.group(1);
        if (m.group(2) != null) {
          topic += "." + m.group(2);
        }
        out.put("type", "kafka").put("topic", topic).put("mode", "sync");
        out.put(
            "payloadFormatVersion",
            aws.path("payloadFormatVersion").asText(restApi ? "1.0" : "2.0"));
        notes.add(
            "no record key: add x-portico-integration.key to keep one item's requests in order");
      }
      case "http_proxy", "http" -> {
        if (type.equals("http") && aws.has("requestTemplates")) {
          return unmappable("http with mapping templates (VTL is not supported)");
        }
        String uri = aws.path("uri").asText("");
        if (uri.isEmpty()) {
          return unmappable(type + " without a uri");
        }
        out.put("type", "http").put("uri", uri);
        String method = aws.path("httpMethod").asText("ANY");
        if (!method.equalsIgnoreCase("ANY")) {
          out.put("httpMethod", method.toUpperCase(Locale.ROOT));
        }
        if (aws.path("connectionType").asText("").equals("VPC_LINK")) {
          notes.add("connectionType VPC_LINK dropped: the uri is called directly");
        }
      }
      case "mock" -> mock(aws, out, notes);
      default -> {
        return unmappable(
            "integration type '" + aws.path("type").asText("") + "' has no Portico equivalent");
      }
    }
    if (aws.has("timeoutInMillis")) {
      out.put("timeoutMs", aws.get("timeoutInMillis").asLong());
    }
    if (type.equals("aws_proxy") && restApi && aws.has("requestParameters")) {
      // A REST API's Lambda proxy gets the whole request whatever its requestParameters say.
      notes.add(
          "requestParameters of a REST API's aws_proxy integration not mapped (they do not"
              + " change the event a Lambda proxy gets)");
    } else if (!type.equals("mock")) {
      AwsParameterMappings.translate(aws, out, restApi, notes);
    }
    for (String dropped : List.of("cacheKeyParameters", "cacheNamespace", "credentials")) {
      if (aws.has(dropped) && !type.equals("mock")) {
        notes.add(dropped + " not mapped");
      }
    }
    return new Translation(out, null, notes);
  }

  private static void mock(JsonNode aws, ObjectNode out, List<String> notes) {
    int status = 200;
    String requestTemplate = aws.path("requestTemplates").path("application/json").asText("");
    if (!requestTemplate.isEmpty()) {
      try {
        status = Json.MAPPER.readTree(requestTemplate).path("statusCode").asInt(200);
      } catch (Exception notJson) {
        notes.add("requestTemplates not JSON; status 200 used");
      }
    }
    JsonNode response = aws.path("responses").path("default");
    if (response.has("statusCode")) {
      status = response.get("statusCode").asInt(status);
    }
    out.put("type", "mock").put("statusCode", status);
    String body = response.path("responseTemplates").path("application/json").asText("");
    if (!body.isEmpty()) {
      out.put("body", body);
      out.putObject("headers").put("content-type", "application/json");
      if (body.contains("$")) {
        notes.add("response template sent as is: VTL ($...) is not evaluated");
      }
    }
    for (Map.Entry<String, JsonNode> p : response.path("responseParameters").properties()) {
      Matcher m = STATIC_HEADER.matcher(p.getKey());
      String value = p.getValue().asText("");
      if (m.matches() && value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        ObjectNode headers =
            out.has("headers") ? (ObjectNode) out.get("headers") : out.putObject("headers");
        headers.put(m.group(1), value.substring(1, value.length() - 1));
      } else {
        notes.add("responseParameters." + p.getKey() + " not mapped (only static header values)");
      }
    }
    if (aws.path("responses").size() > 1) {
      notes.add("only the default response is used; selection patterns are not supported");
    }
  }

  private static Translation unmappable(String why) {
    return new Translation(null, why, List.of());
  }
}
