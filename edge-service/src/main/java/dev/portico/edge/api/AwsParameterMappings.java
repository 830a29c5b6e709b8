package dev.portico.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.edge.mapping.MappingReader;
import dev.portico.edge.mapping.MappingValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates an {@code x-amazon-apigateway-integration}'s parameter mapping into Portico's (API
 * Gateway's HTTP API form, which Portico reads as is), one mapping at a time, so that what cannot
 * be mapped is left out with a note and the rest is kept:
 *
 * <ul>
 *   <li>an HTTP API export's {@code requestParameters} and {@code responseParameters} are already
 *       in that form: each is kept if Portico accepts it;
 *   <li>a REST API export's {@code requestParameters} ({@code integration.request.header.X =
 *       method.request.header.Y}) become {@code overwrite:header.X = $request.header.Y} (query
 *       strings alike); {@code integration.request.path.X = method.request.path.Y} renames {@code
 *       {X}} in the backend URI to the route's {@code {Y}}. Sources: method request headers, query
 *       strings and path parameters, {@code 'constants'}, {@code stageVariables.Y}, {@code
 *       context.Y}; not the body (the edge streams it).
 * </ul>
 */
final class AwsParameterMappings {
  private static final Pattern REST_KEY =
      Pattern.compile("integration\\.request\\.(header|querystring|path)\\.(.+)");
  private static final Pattern REST_VALUE =
      Pattern.compile(
          "method\\.request\\.(header|querystring|path|multivalueheader|multivaluequerystring)\\.(.+)"
              + "|(stageVariables|context)\\.(.+)");

  private AwsParameterMappings() {}

  /**
   * Adds the mappings of {@code aws} that Portico can take to {@code out} (the translated {@code
   * x-portico-integration}), and a note for each one it cannot.
   */
  static void translate(JsonNode aws, ObjectNode out, boolean restApi, List<String> notes) {
    JsonNode request = aws.path("requestParameters");
    if (request.isObject() && !request.isEmpty()) {
      ObjectNode mapped =
          restApi ? fromRestApi(request, out, notes) : keepValid(request, null, notes);
      if (!mapped.isEmpty()) {
        out.set("requestParameters", mapped);
      }
    }
    JsonNode response = aws.path("responseParameters");
    if (!restApi && response.isObject() && !response.isEmpty()) {
      ObjectNode byStatus = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> status : response.properties()) {
        if (!status.getKey().matches("[2-5][0-9][0-9]") || !status.getValue().isObject()) {
          notes.add(
              "responseParameters."
                  + status.getKey()
                  + ": must be a status code 200 to 599 and its mappings; not mapped");
          continue;
        }
        ObjectNode kept = keepValid(status.getValue(), status.getKey(), notes);
        if (!kept.isEmpty()) {
          byStatus.set(status.getKey(), kept);
        }
      }
      if (!byStatus.isEmpty()) {
        out.set("responseParameters", byStatus);
      }
    }
  }

  /**
   * The mappings Portico accepts, each checked alone, and a note for each other one.
   *
   * @param status the status code of response mappings, {@code null} for request mappings
   */
  private static ObjectNode keepValid(JsonNode mappings, String status, List<String> notes) {
    ObjectNode kept = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : mappings.properties()) {
      ObjectNode single = JsonNodeFactory.instance.objectNode();
      single.set(e.getKey(), e.getValue());
      List<String> problems = new ArrayList<>();
      if (status == null) {
        MappingReader.read(single, null, "", problems);
      } else {
        MappingReader.read(
            null, JsonNodeFactory.instance.objectNode().set(status, single), "", problems);
      }
      if (problems.isEmpty()) {
        kept.set(e.getKey(), e.getValue());
      } else {
        // "" as the location: each problem starts ".requestParameters..." or
        // ".responseParameters..."
        problems.forEach(p -> notes.add(p.substring(1) + "; not mapped"));
      }
    }
    return kept;
  }

  /** A REST API's {@code integration.request.*} mappings in the HTTP API form. */
  private static ObjectNode fromRestApi(JsonNode request, ObjectNode out, List<String> notes) {
    ObjectNode mapped = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : request.properties()) {
      String where = "requestParameters." + e.getKey();
      Matcher key = REST_KEY.matcher(e.getKey());
      if (!key.matches()) {
        notes.add(where + ": only integration.request.header/querystring/path.X map; not mapped");
        continue;
      }
      String value = restValue(e.getValue().asText(""));
      if (value == null) {
        notes.add(
            where
                + ": the value "
                + e.getValue().asText("")
                + " has no Portico equivalent (method request headers, query strings and path"
                + " parameters, 'constants', stageVariables.X and context.X do); not mapped");
        continue;
      }
      if (key.group(1).equals("path")) {
        renamePathParameter(key.group(2), value, out, where, notes);
        continue;
      }
      String httpKey = "overwrite:" + key.group(1) + "." + key.group(2);
      ObjectNode single = JsonNodeFactory.instance.objectNode().put(httpKey, value);
      List<String> problems = new ArrayList<>();
      MappingReader.read(single, null, "", problems);
      if (problems.isEmpty()) {
        mapped.put(httpKey, value);
      } else {
        problems.forEach(
            p ->
                notes.add(
                    where
                        + " (as "
                        + p.substring(".requestParameters.".length())
                        + "); not mapped"));
      }
    }
    return mapped;
  }

  /**
   * A REST API's value in the HTTP API form, or {@code null}: {@code method.request.header.X} is
   * {@code $request.header.X} ...; a multi-value source gives its values joined with commas, as the
   * HTTP API form does.
   */
  private static String restValue(String value) {
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      String constant = value.substring(1, value.length() - 1);
      return constant.isEmpty() || constant.startsWith("$") ? null : constant;
    }
    Matcher m = REST_VALUE.matcher(value);
    if (!m.matches()) {
      return null;
    }
    String reference =
        m.group(1) != null
            ? "$request." + m.group(1).replace("multivalue", "") + "." + m.group(2)
            : "$" + m.group(3) + "." + m.group(4);
    try {
      MappingValue.parse(reference);
      return reference;
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  /**
   * {@code integration.request.path.X = method.request.path.Y}: the backend URI's {@code {X}} is
   * the route's {@code {Y}}; any other source for a URI's path parameter has no equivalent.
   */
  private static void renamePathParameter(
      String name, String value, ObjectNode out, String where, List<String> notes) {
    if (!value.startsWith("$request.path.")) {
      notes.add(
          where
              + ": a backend URI's path parameter can only come from a path parameter; not mapped");
      return;
    }
    String from = value.substring("$request.path.".length());
    String uri = out.path("uri").asText("");
    if (!uri.contains("{" + name + "}") && !uri.contains("{" + name + "+}")) {
      notes.add(where + ": the uri has no {" + name + "}; not mapped");
      return;
    }
    if (!from.equals(name)) {
      out.put(
          "uri",
          uri.replace("{" + name + "}", "{" + from + "}")
              .replace("{" + name + "+}", "{" + from + "+}"));
    }
  }
}
