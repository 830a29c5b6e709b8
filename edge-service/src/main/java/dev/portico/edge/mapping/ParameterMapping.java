package dev.portico.edge.mapping;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A route's parameter mapping, as API Gateway's HTTP APIs have it: rules that set, append or remove
 * request headers and query parameters and set the path before the integration ({@code
 * requestParameters}), and rules per integration status code that set, append or remove response
 * headers and set the status after it ({@code responseParameters}). Rules apply in the order they
 * are written; their values read the request as the client sent it ({@link MappingSources}). A
 * value that comes out empty skips its rule; a header value with a line break or another control
 * character is skipped too (it would split the header).
 */
public record ParameterMapping(List<Rule> request, Map<Integer, List<Rule>> responses) {
  public static final ParameterMapping NONE = new ParameterMapping(List.of(), Map.of());

  public enum Action {
    APPEND,
    OVERWRITE,
    REMOVE
  }

  public enum Target {
    HEADER,
    QUERYSTRING,
    PATH,
    STATUSCODE
  }

  /**
   * One rule: {@code action:target.name} and its value ({@code null} for a removal).
   *
   * @param name the header or query parameter, {@code null} for the path and the status
   */
  public record Rule(Action action, Target target, String name, MappingValue value) {}

  /** The request as the integration receives it; a part no rule touched is {@code null}. */
  public record MappedRequest(
      List<Map.Entry<String, String>> headers, List<Map.Entry<String, String>> query, String path) {
    /** The mapped query parameters as a query string, {@code null} when there are none left. */
    public String rawQuery() {
      if (query == null || query.isEmpty()) {
        return null;
      }
      StringBuilder out = new StringBuilder();
      for (Map.Entry<String, String> p : query) {
        if (!out.isEmpty()) {
          out.append('&');
        }
        out.append(encode(p.getKey())).append('=').append(encode(p.getValue()));
      }
      return out.toString();
    }

    private static String encode(String text) {
      return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }

  /** The response as the client receives it. */
  public record MappedResponse(int status, List<Map.Entry<String, String>> headers) {}

  /**
   * The mapping at work on one request: the request as mapped, and the response rules reading the
   * same sources.
   */
  public record Applied(ParameterMapping mapping, MappingSources sources, MappedRequest request) {
    /** The integration's answer as mapped, or {@code null} when no rule is for its status. */
    public MappedResponse response(int status, List<Map.Entry<String, String>> headers) {
      return mapping.mapResponse(status, headers, sources);
    }
  }

  public ParameterMapping {
    request = List.copyOf(request);
    responses = Map.copyOf(responses);
  }

  public boolean isEmpty() {
    return request.isEmpty() && responses.isEmpty();
  }

  /** Maps one request, keeping its sources for its response. */
  public Applied apply(MappingSources in) {
    return new Applied(this, in, mapRequest(in));
  }

  public MappedRequest mapRequest(MappingSources in) {
    List<Map.Entry<String, String>> headers = null;
    List<Map.Entry<String, String>> query = null;
    String path = null;
    for (Rule rule : request) {
      String value =
          rule.value() == null
              ? null
              : rule.value().resolve(in, null, rule.target() == Target.PATH);
      switch (rule.target()) {
        case HEADER -> {
          headers = headers == null ? new ArrayList<>(in.headers()) : headers;
          apply(rule, headerValue(value), headers, true);
        }
        case QUERYSTRING -> {
          query = query == null ? new ArrayList<>(in.query()) : query;
          apply(rule, value, query, false);
        }
        case PATH -> {
          if (value != null) {
            path = value.startsWith("/") ? value : "/" + value;
          }
        }
        case STATUSCODE -> throw new IllegalStateException("a request has no status code");
      }
    }
    return new MappedRequest(headers, query, path);
  }

  /**
   * The integration's answer after the rules for its status, or {@code null} when there are none.
   */
  public MappedResponse mapResponse(
      int status, List<Map.Entry<String, String>> responseHeaders, MappingSources in) {
    List<Rule> rules = responses.get(status);
    if (rules == null) {
      return null;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>(responseHeaders);
    int mappedStatus = status;
    for (Rule rule : rules) {
      String value = rule.value() == null ? null : rule.value().resolve(in, responseHeaders, false);
      if (rule.target() == Target.STATUSCODE) {
        mappedStatus = statusCode(value, mappedStatus);
      } else {
        apply(rule, headerValue(value), headers, true);
      }
    }
    return new MappedResponse(mappedStatus, headers);
  }

  private static void apply(
      Rule rule, String value, List<Map.Entry<String, String>> entries, boolean anyCase) {
    if (rule.action() != Action.REMOVE && value == null) {
      return;
    }
    if (rule.action() != Action.APPEND) {
      entries.removeIf(
          e -> anyCase ? e.getKey().equalsIgnoreCase(rule.name()) : e.getKey().equals(rule.name()));
    }
    if (rule.action() != Action.REMOVE) {
      entries.add(Map.entry(rule.name(), value));
    }
  }

  /** {@code null} for a value that cannot be a header's: one with a control character. */
  private static String headerValue(String value) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return null;
      }
    }
    return value;
  }

  /** A status a value names (100 to 599), else the status as it was. */
  private static int statusCode(String value, int otherwise) {
    if (value == null || !value.matches("[1-5][0-9][0-9]")) {
      return otherwise;
    }
    return Integer.parseInt(value);
  }
}
