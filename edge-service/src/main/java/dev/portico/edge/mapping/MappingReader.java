package dev.portico.edge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.edge.mapping.ParameterMapping.Action;
import dev.portico.edge.mapping.ParameterMapping.Rule;
import dev.portico.edge.mapping.ParameterMapping.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code requestParameters} and {@code responseParameters} (API Gateway's HTTP API keys and
 * values) into a {@link ParameterMapping}, reporting every problem: an unknown key, a header API
 * Gateway reserves (and those the edge sets itself), a value that is not a reference it knows, a
 * request value in a response mapping or the reverse, a status outside 200-599.
 */
public final class MappingReader {
  private static final Pattern REQUEST_KEY =
      Pattern.compile("(append|overwrite|remove):(header|querystring)\\.(.+)|overwrite:path");
  private static final Pattern RESPONSE_KEY =
      Pattern.compile("(append|overwrite|remove):header\\.(.+)|overwrite:statuscode");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final Pattern STATUS = Pattern.compile("[2-5][0-9][0-9]");

  /**
   * Headers no mapping may set or remove: API Gateway's reserved ones (hop-by-hop, framing, CORS,
   * authorization, forwarding, its own), plus {@code host} and those the edge sets itself.
   */
  static final Set<String> RESERVED =
      Set.of(
          "authorization",
          "connection",
          "content-encoding",
          "content-length",
          "content-location",
          "forwarded",
          "host",
          "keep-alive",
          "origin",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "trailers",
          "transfer-encoding",
          "upgrade",
          "via",
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-port",
          "x-forwarded-proto");

  static final List<String> RESERVED_PREFIXES =
      List.of("access-control-", "apigw-", "x-amz-", "x-amzn-", "x-portico-");

  private MappingReader() {}

  /**
   * @param requestParameters an object of key to value, or a missing node
   * @param responseParameters an object of status code to such an object, or a missing node
   * @param where the location for problems, e.g. {@code paths./a.get.x-portico-integration}
   */
  public static ParameterMapping read(
      JsonNode requestParameters,
      JsonNode responseParameters,
      String where,
      List<String> problems) {
    List<Rule> request = new ArrayList<>();
    if (present(requestParameters, where + ".requestParameters", problems)) {
      for (Map.Entry<String, JsonNode> e : requestParameters.properties()) {
        Rule rule =
            rule(
                e.getKey(),
                e.getValue(),
                false,
                where + ".requestParameters." + e.getKey(),
                problems);
        if (rule != null) {
          request.add(rule);
        }
      }
    }
    Map<Integer, List<Rule>> responses = new LinkedHashMap<>();
    if (present(responseParameters, where + ".responseParameters", problems)) {
      for (Map.Entry<String, JsonNode> status : responseParameters.properties()) {
        String at = where + ".responseParameters." + status.getKey();
        if (!STATUS.matcher(status.getKey()).matches()) {
          problems.add(at + ": the key must be a status code 200 to 599");
          continue;
        }
        if (!present(status.getValue(), at, problems)) {
          continue;
        }
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : status.getValue().properties()) {
          Rule rule = rule(e.getKey(), e.getValue(), true, at + "." + e.getKey(), problems);
          if (rule != null) {
            rules.add(rule);
          }
        }
        responses.put(Integer.parseInt(status.getKey()), rules);
      }
    }
    return request.isEmpty() && responses.isEmpty()
        ? ParameterMapping.NONE
        : new ParameterMapping(request, responses);
  }

  private static boolean present(JsonNode node, String at, List<String> problems) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isObject()) {
      problems.add(at + ": must be an object of mappings");
      return false;
    }
    return true;
  }

  private static Rule rule(
      String key, JsonNode valueNode, boolean response, String at, List<String> problems) {
    Matcher m = (response ? RESPONSE_KEY : REQUEST_KEY).matcher(key);
    if (!m.matches()) {
      problems.add(
          at
              + ": not a mapping key; use "
              + (response
                  ? "append|overwrite|remove:header.NAME or overwrite:statuscode"
                  : "append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME"
                      + " or overwrite:path"));
      return null;
    }
    if (!valueNode.isTextual() && !valueNode.isNumber()) {
      problems.add(at + ": the value must be a string");
      return null;
    }
    Action action =
        m.group(1) == null ? Action.OVERWRITE : Action.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    Target target;
    String name = null;
    if (key.equals("overwrite:path")) {
      target = Target.PATH;
    } else if (key.equals("overwrite:statuscode")) {
      target = Target.STATUSCODE;
    } else if (response || m.group(2).equals("header")) {
      target = Target.HEADER;
      name = response ? m.group(2) : m.group(3);
      if (!headerAllowed(name, at, problems)) {
        return null;
      }
    } else {
      target = Target.QUERYSTRING;
      name = m.group(3);
    }
    if (action == Action.REMOVE) {
      return new Rule(action, target, name, null);
    }
    String text = valueNode.asText();
    if (text.isEmpty()) {
      problems.add(at + ": the value must not be empty");
      return null;
    }
    MappingValue value;
    try {
      value = MappingValue.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(at + ": " + e.getMessage());
      return null;
    }
    if (response && value.readsRequest()) {
      problems.add(at + ": a response mapping cannot read the request ($request.*)");
      return null;
    }
    if (!response && value.readsResponse()) {
      problems.add(at + ": a request mapping cannot read the response ($response.*)");
      return null;
    }
    if (target == Target.STATUSCODE && value.isConstant() && !text.matches("[1-5][0-9][0-9]")) {
      problems.add(at + ": must be a status code 100 to 599, was " + text);
      return null;
    }
    if (target == Target.PATH && (text.contains("?") || text.contains("#"))) {
      problems.add(at + ": a path has no query or fragment (map query parameters instead)");
      return null;
    }
    return new Rule(action, target, name, value);
  }

  private static boolean headerAllowed(String name, String at, List<String> problems) {
    if (!HEADER_NAME.matcher(name).matches()) {
      problems.add(at + ": '" + name + "' is not a header name");
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (RESERVED.contains(lower) || RESERVED_PREFIXES.stream().anyMatch(lower::startsWith)) {
      problems.add(at + ": " + name + " is a reserved header and cannot be mapped");
      return false;
    }
    return true;
  }
}
